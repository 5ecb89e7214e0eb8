package org.vitalvault.gateway.ingest;

import java.util.List;
import java.util.UUID;
import org.vitalvault.wire.RejectionReason;

/**
 * One message after the per-message work: its device resolved, its payload authenticated and
 * decoded, every record validated. Produced on the MQTT callback thread so that the writer only
 * groups and seals; holds the plaintext values only in memory, until they are sealed. It keeps no
 * raw payload: once decoded, the message's bytes are garbage, so a queued message costs its decoded
 * readings, not its payload.
 *
 * @param acknowledge    tells the broker the message is done with; called after the commit
 * @param receivedMillis when the gateway received it, epoch ms
 * @param queuedBytes    what it holds against the pipeline's bytes bound until its batch commits
 * @param deviceId       the device from the topic; null when the topic was malformed
 * @param owner          the device's owner; null when the device is unknown or unpaired
 * @param accepted       records that passed validation, with canonical values
 * @param rejected       records (or whole packs) that did not, with reasons
 */
public record PreparedMessage(Runnable acknowledge, long receivedMillis, int queuedBytes, UUID deviceId,
                              DeviceOwner owner, List<Accepted> accepted, List<Rejected> rejected) {

    /** A valid record: catalogue metric code, device time (epoch ms), canonical value. */
    public record Accepted(String metric, long deviceTimeMillis, double value) {
    }

    /**
     * A rejection.
     *
     * @param index   the record's position in its pack, -1 for the whole pack
     * @param reason  why
     * @param records how many records it covers
     * @param time    the record's device time (epoch ms) when known, else 0
     */
    public record Rejected(int index, RejectionReason reason, int records, long time) {
    }
}
