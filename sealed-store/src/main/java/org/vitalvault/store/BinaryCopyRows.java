package org.vitalvault.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Rows in PostgreSQL's binary COPY format (PostgreSQL documentation, COPY, "Binary Format"): an
 * 11-byte signature, a flags word and a header-extension length, then per row a 16-bit field count
 * and per field a 32-bit length and the value in the type's binary send format, then a -1 trailer.
 * Only the types the gateway writes: uuid, text, timestamptz, int4 and bytea. All integers are
 * big-endian. Not thread-safe; one per COPY.
 */
final class BinaryCopyRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp origin, in microseconds after the Unix epoch. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final Buffer out;

    BinaryCopyRows(int expectedBytes) {
        out = new Buffer(expectedBytes + SIGNATURE.length + 10);
        out.write(SIGNATURE, 0, SIGNATURE.length);
        out.int32(0); // flags: no OIDs
        out.int32(0); // no header extension
    }

    BinaryCopyRows row(int fields) {
        out.int16(fields);
        return this;
    }

    BinaryCopyRows uuid(UUID value) {
        out.int32(16);
        out.int64(value.getMostSignificantBits());
        out.int64(value.getLeastSignificantBits());
        return this;
    }

    BinaryCopyRows text(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Microseconds since 2000-01-01 UTC, PostgreSQL's resolution; a sub-microsecond part is cut
     * (an INSERT would round it; the gateway's times come from a microsecond clock anyway).
     */
    BinaryCopyRows timestamptz(Instant value) {
        out.int32(8);
        out.int64(Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1000)
                - POSTGRES_EPOCH_MICROS);
        return this;
    }

    BinaryCopyRows int4(int value) {
        out.int32(4);
        out.int32(value);
        return this;
    }

    BinaryCopyRows bytes(byte[] value) {
        out.int32(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /** The whole COPY stream, trailer included; the builder must not be used afterwards. */
    byte[] finish() {
        out.int16(-1);
        return out.toByteArray();
    }

    /** A ByteArrayOutputStream with big-endian integer writes and no synchronisation per byte. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        void int16(int v) {
            ensure(2);
            buf[count++] = (byte) (v >>> 8);
            buf[count++] = (byte) v;
        }

        void int32(int v) {
            ensure(4);
            buf[count++] = (byte) (v >>> 24);
            buf[count++] = (byte) (v >>> 16);
            buf[count++] = (byte) (v >>> 8);
            buf[count++] = (byte) v;
        }

        void int64(long v) {
            int32((int) (v >>> 32));
            int32((int) v);
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }
}
