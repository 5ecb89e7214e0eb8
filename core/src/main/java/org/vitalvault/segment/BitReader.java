package org.vitalvault.segment;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads what {@link BitWriter} wrote. Every read checks the bits left first, so a malformed
 * segment ends in {@link SegmentFormatException}, never in reading past the end.
 */
final class BitReader {

    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] bytes;
    private final long end;
    private long pos;

    BitReader(byte[] bytes, int fromByte) {
        this.bytes = bytes;
        this.end = bytes.length * 8L;
        this.pos = fromByte * 8L;
    }

    long remaining() {
        return end - pos;
    }

    /** The next {@code n} bits (0 ≤ n ≤ 64) as an unsigned value. */
    long read(int n) {
        if (n == 0) {
            return 0;
        }
        need(n);
        long v = peek() >>> (64 - n);
        pos += n;
        return v;
    }

    /** Reads one {@link BitWriter#writeRice Rice code} with parameter {@code k}. */
    long readRice(int k) {
        long window = peek();
        int q = Long.numberOfLeadingZeros(~window);
        if (q >= BitWriter.ESCAPE) {
            need(BitWriter.ESCAPE);
            pos += BitWriter.ESCAPE;
            return read((int) read(6) + 1);
        }
        int length = q + 1 + k;
        if (length <= 64) {
            // The common case: quotient, stop bit and remainder all sit in the window already read.
            need(length);
            pos += length;
            long remainder = k == 0 ? 0 : (window << (q + 1)) >>> (64 - k);
            return ((long) q << k) | remainder;
        }
        need(q + 1);
        pos += q + 1;
        return ((long) q << k) | read(k);
    }

    /** True when only zero padding of the last byte is left. */
    boolean atPaddedEnd() {
        return end - pos < 8 && (end == pos || read((int) (end - pos)) == 0);
    }

    private void need(long n) {
        if (n > end - pos) {
            throw new SegmentFormatException("truncated segment");
        }
    }

    /** The 64 bits from the current position, zeros past the end. */
    private long peek() {
        int index = (int) (pos >>> 3);
        int shift = (int) (pos & 7);
        long w;
        if (index + 9 <= bytes.length) {
            w = (long) BIG_ENDIAN_LONG.get(bytes, index);
            return shift == 0 ? w : (w << shift) | ((bytes[index + 8] & 0xFFL) >>> (8 - shift));
        }
        // Near the end: the same, byte by byte, with zeros past the last byte.
        w = 0;
        for (int i = 0; i < 8; i++) {
            w = (w << 8) | byteAt(index + i);
        }
        return shift == 0 ? w : (w << shift) | (byteAt(index + 8) >>> (8 - shift));
    }

    private long byteAt(int index) {
        return index < bytes.length ? bytes[index] & 0xFFL : 0;
    }
}
