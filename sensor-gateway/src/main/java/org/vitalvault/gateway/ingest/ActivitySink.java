package org.vitalvault.gateway.ingest;

import java.util.Map;
import java.util.UUID;
import org.vitalvault.wire.RejectionReason;

/**
 * Where the pipeline reports, after each commit, what became of a paired device's messages in the
 * batch: the owner's device activity (decision 048). Called on the committer thread, between the
 * commit and the acknowledgements: an implementation only counts in memory, never blocks, never
 * touches the database.
 */
@FunctionalInterface
public interface ActivitySink {

    /** Counts nothing. */
    ActivitySink NONE = (ownerId, deviceId, lastReceivedMillis, accepted, rejected) -> { };

    /**
     * @param lastReceivedMillis receive time of the device's newest message in the batch
     * @param accepted           its records stored
     * @param rejected           its records refused, by reason (the map is the caller's; copy what you keep)
     */
    void record(UUID ownerId, UUID deviceId, long lastReceivedMillis, int accepted,
                Map<RejectionReason, Integer> rejected);
}
