package org.vitalvault.segment;

import java.util.Arrays;

/**
 * Appends bit fields most significant bit first, and writes the Rice codes the segment columns use.
 * Encoding happens once per compaction, so this favours plainness over speed.
 */
final class BitWriter {

    /**
     * A Rice code's unary quotient stops at this many ones; a larger quotient is written as an
     * escape (these ones, 6 bits length−1, then the value's significant bits). An outlier — a gap
     * in the readings, the first reading of a second device — then costs a few dozen bits instead
     * of a quotient-long run of ones.
     */
    static final int ESCAPE = 20;

    private byte[] buf;
    private int size;
    private long acc;
    private int accBits;

    BitWriter(int expectedBytes) {
        buf = new byte[Math.max(16, expectedBytes)];
    }

    /** Writes the low {@code n} bits of {@code value}, 0 ≤ n ≤ 64. */
    void write(long value, int n) {
        if (n > 32) {
            write(value >>> 32, n - 32);
            write(value, 32);
            return;
        }
        if (n == 0) {
            return;
        }
        // accBits < 8 here, so at most 39 bits are pending and the shift below loses nothing.
        acc = (acc << n) | (value & ((1L << n) - 1));
        accBits += n;
        while (accBits >= 8) {
            accBits -= 8;
            put((byte) (acc >>> accBits));
        }
        acc &= (1L << accBits) - 1;
    }

    /** Rice code of the unsigned value {@code u} with parameter {@code k} (0..63); see {@link #ESCAPE}. */
    void writeRice(long u, int k) {
        long q = u >>> k;
        if (Long.compareUnsigned(q, ESCAPE) < 0) {
            write(-1L, (int) q);
            write(0, 1);
            write(u, k);
        } else {
            int length = 64 - Long.numberOfLeadingZeros(u);
            write(-1L, ESCAPE);
            write(length - 1, 6);
            write(u, length);
        }
    }

    /** Bits {@link #writeRice} would spend on {@code u} with parameter {@code k}. */
    static long riceCost(long u, int k) {
        long q = u >>> k;
        return Long.compareUnsigned(q, ESCAPE) < 0
                ? q + 1 + k
                : ESCAPE + 6 + 64 - Long.numberOfLeadingZeros(u);
    }

    /**
     * The Rice parameter that codes these values in the fewest bits, found by trying them all: the
     * encoder sees the whole segment, so a per-segment optimum is cheaper than adaptive coding and
     * keeps the decoder's loop simple.
     */
    static int bestRiceParameter(long[] values, int count) {
        long max = 0;
        for (int i = 0; i < count; i++) {
            max |= values[i];
        }
        // Beyond the widest value every quotient is 0 and each extra bit of k only costs.
        int widest = Math.min(63, 64 - Long.numberOfLeadingZeros(max));
        int best = 0;
        long bestCost = Long.MAX_VALUE;
        for (int k = 0; k <= widest; k++) {
            long cost = 0;
            for (int i = 0; i < count; i++) {
                cost += riceCost(values[i], k);
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = k;
            }
        }
        return best;
    }

    /** The bits written so far, the last byte padded with zero bits. */
    byte[] toByteArray() {
        if (accBits > 0) {
            put((byte) (acc << (8 - accBits)));
            acc = 0;
            accBits = 0;
        }
        return Arrays.copyOf(buf, size);
    }

    private void put(byte b) {
        if (size == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[size++] = b;
    }
}
