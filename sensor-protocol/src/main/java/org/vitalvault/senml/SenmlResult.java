package org.vitalvault.senml;

import java.util.List;
import java.util.Objects;
import org.vitalvault.wire.RejectionReason;

/**
 * What decoding one SenML pack produced: the resolved records and, per rejected record, why.
 * One bad record never takes the good records of its pack with it.
 */
public record SenmlResult(List<SenmlRecord> records, List<RecordRejection> rejections) {

    public SenmlResult {
        records = List.copyOf(records);
        rejections = List.copyOf(rejections);
    }

    /** The whole pack failed; {@code recordCount} is how many records it claimed (1 when unknown). */
    public static SenmlResult wholePackRejected(RejectionReason reason, int recordCount) {
        return new SenmlResult(List.of(), List.of(new RecordRejection(-1, reason, recordCount)));
    }

    /**
     * @param index  position of the record in the pack, -1 for the whole pack
     * @param reason why; its wire code goes to the device
     * @param count  records this rejection covers
     */
    public record RecordRejection(int index, RejectionReason reason, int count) {
        public RecordRejection {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
