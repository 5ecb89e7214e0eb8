package org.vitalvault.segment;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** LEB128 varints and zigzag, shared by the segment and rollup byte headers. */
final class Varints {

    private Varints() {
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static void write(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Reads one varint; a truncated or longer-than-64-bit varint is a format error, not a wrap. */
    static long read(ByteBuffer in, String what) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) {
                throw new SegmentFormatException("truncated " + what);
            }
            int b = in.get() & 0xFF;
            if (shift == 63 && b > 1) {
                throw new SegmentFormatException("varint overflows 64 bits in " + what);
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new SegmentFormatException("varint overflows 64 bits in " + what);
    }

    /**
     * A varint count of items that each take at least {@code minBitsEach} of the bytes after it: a
     * count the input cannot hold fails here, so no count can force a large allocation.
     */
    static int readCount(ByteBuffer in, long minBitsEach, String what) {
        long n = read(in, what);
        long max = in.remaining() * 8L / minBitsEach;
        if (n < 0 || n > max || n > Integer.MAX_VALUE - 8) {
            throw new SegmentFormatException(what + " larger than the bytes that follow allow");
        }
        return (int) n;
    }
}
