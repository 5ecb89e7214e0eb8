package org.vitalvault.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The context a sealed batch is bound to: whose it is, which metric, which time bucket, which
 * epoch key.
 *
 * <p>Format of {@link #bytes()}: {@code "vitalvault/v1/batch"} (ASCII) || ownerId (16 bytes,
 * big-endian most then least significant bits) || u16 big-endian byte length || metric (UTF-8) ||
 * bucket as epoch seconds (i64 big-endian) || epochId (16 bytes).
 *
 * <p>Guarantee: the encoding is injective, so two different {@code BatchAad} values never produce
 * the same bytes, and a batch sealed under one cannot be opened under another (it cannot be
 * replayed as another owner's, metric's, bucket's or epoch's data). To keep that true the
 * constructor rejects what the encoding cannot represent exactly: a bucket with a sub-second part,
 * a metric that is not valid Unicode, or one longer than 65535 UTF-8 bytes. Limits: this is
 * associated data, authenticated but not secret; it does not hide the metric or bucket.
 */
public record BatchAad(UUID ownerId, String metric, Instant bucket, UUID epochId) implements AssociatedData {

    private static final byte[] LABEL = "vitalvault/v1/batch".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_METRIC_BYTES = 0xFFFF;
    /** Length of the label that starts {@link #bytes()}; {@link SegmentAad} replaces it with its own. */
    static final int LABEL_LENGTH = LABEL.length;

    /**
     * @throws IllegalArgumentException if the metric is not valid Unicode or too long, or the
     *     bucket is not a whole second
     */
    public BatchAad {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(epochId, "epochId");
        // Nanoseconds are not encoded, so two buckets differing only there would collide.
        if (bucket.getNano() != 0) {
            throw new IllegalArgumentException("bucket must be a whole second");
        }
        if (utf8(metric).length > MAX_METRIC_BYTES) {
            throw new IllegalArgumentException("metric longer than 65535 UTF-8 bytes");
        }
    }

    /** The canonical encoding described on the type; a fresh array on every call. */
    @Override
    public byte[] bytes() {
        byte[] metricBytes = utf8(metric);
        return ByteBuffer.allocate(LABEL.length + 16 + 2 + metricBytes.length + 8 + 16)
                .put(LABEL)
                .putLong(ownerId.getMostSignificantBits())
                .putLong(ownerId.getLeastSignificantBits())
                .putShort((short) metricBytes.length)
                .put(metricBytes)
                .putLong(bucket.getEpochSecond())
                .putLong(epochId.getMostSignificantBits())
                .putLong(epochId.getLeastSignificantBits())
                .array();
    }

    // String.getBytes would silently turn lone surrogates into '?', mapping distinct metric
    // strings to the same bytes; a strict encoder refuses instead. Metric codes are ASCII, which
    // needs no encoder (the gateway builds this for every sealed row).
    private static byte[] utf8(String s) {
        if (isAscii(s)) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            ByteBuffer buf = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(s));
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("metric is not valid Unicode");
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
