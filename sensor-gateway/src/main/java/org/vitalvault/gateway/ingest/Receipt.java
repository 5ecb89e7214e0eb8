package org.vitalvault.gateway.ingest;

import java.util.List;
import java.util.UUID;
import org.vitalvault.wire.RejectionReason;

/**
 * What one commit did with one device's messages, published to {@code receipts/{deviceId}} after
 * the commit: the stored readings' device-time range and every rejected record with its reason. A
 * node with an offline buffer may delete what a receipt says is stored; the broker's PUBACK only
 * says the broker has it. Carries no value, so it reveals no health data to the broker.
 *
 * <p>A receipt may cover several commits when the gateway coalesces receipts per device
 * (docs/decisions/015): the counts are then sums, the range spans them all, and {@code batchId}
 * and {@code committedAt} are those of the latest commit it covers.
 *
 * @param batchId     the commit; of a receipt covering several, the latest
 * @param committedAt commit time, epoch ms; of a receipt covering several, the latest
 * @param deviceId    whose messages
 * @param commits     how many commits this receipt covers (1 unless coalesced)
 * @param messages    how many of the device's messages the commits covered
 * @param stored      readings stored (a redelivered reading is stored again and counted once on read)
 * @param fromTime    lowest device time stored, epoch ms (0 when nothing was stored)
 * @param upToTime    highest device time stored, epoch ms (0 when nothing was stored)
 * @param rejected    rejected records, at most {@link #MAX_LISTED}; {@code rejectedTotal} counts all
 */
public record Receipt(UUID batchId, long committedAt, UUID deviceId, int commits, int messages, int stored, long fromTime,
                      long upToTime, List<Rejected> rejected, int rejectedTotal) {

    public static final int MAX_LISTED = 100;

    /**
     * One rejected record.
     *
     * @param index  its position in its pack, -1 for the whole pack
     * @param reason why; the device receives its wire code
     * @param time   its device time, epoch ms, when known (0 otherwise)
     */
    public record Rejected(int index, RejectionReason reason, long time) {
    }
}
