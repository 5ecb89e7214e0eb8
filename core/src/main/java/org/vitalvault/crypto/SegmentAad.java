package org.vitalvault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The context a compacted segment's sealed parts are bound to: owner, metric, hour bucket, epoch,
 * and which part (the readings, the hour's rollup, or a day's rollup). Moving a sealed part to another owner's,
 * metric's or hour's row, or swapping a segment's readings and rollup, makes it fail to open.
 *
 * <p>Format of {@link #bytes()}: {@code "vitalvault/v1/segment/"} || part label ({@code points},
 * {@code rollup} or {@code day}, ASCII) || {@code 0x00} || ownerId (16 bytes) || metric as in {@link BatchAad}
 * (u16 length, UTF-8) || bucket epoch seconds (i64) || epochId (16 bytes). Injective for the same
 * reasons as {@link BatchAad}, whose checks it reuses.
 */
public record SegmentAad(Part part, UUID ownerId, String metric, Instant bucket, UUID epochId)
        implements AssociatedData {

    /** The sealed parts of a segment row. */
    public enum Part {
        POINTS("points"), ROLLUP("rollup"),
        /** A day's rollup ({@code reading_day}); its bucket is the UTC day's start. */
        DAY("day");

        private final byte[] label;

        Part(String name) {
            this.label = ("vitalvault/v1/segment/" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        }
    }

    public SegmentAad {
        Objects.requireNonNull(part, "part");
    }

    @Override
    public byte[] bytes() {
        // BatchAad validates the fields and encodes the part after its own label.
        byte[] batch = new BatchAad(ownerId, metric, bucket, epochId).bytes();
        int labelLength = BatchAad.LABEL_LENGTH;
        return ByteBuffer.allocate(part.label.length + batch.length - labelLength)
                .put(part.label)
                .put(batch, labelLength, batch.length - labelLength)
                .array();
    }
}
