package org.vitalvault.segment;

import java.util.Arrays;

/**
 * The fallback value column, Gorilla's XOR of IEEE bits against the same device's previous value:
 * '0' = same bits; '10' + bits inside the previous window of meaningful bits; '11' + 5 bits leading
 * zeros (at most 31) + 6 bits (meaningful length − 1) + the meaningful bits. Any finite double
 * round-trips bit for bit, -0.0 and subnormals included.
 */
final class XorValues {

    private final long[] last;
    private final int[] leading;
    private final int[] trailing;

    XorValues(int devices) {
        last = new long[devices];
        leading = new int[devices];
        trailing = new int[devices];
        Arrays.fill(leading, -1); // no window yet: the first non-equal value must send one
    }

    void write(BitWriter out, int device, double value) {
        long bits = Double.doubleToRawLongBits(value);
        long xor = bits ^ last[device];
        last[device] = bits;
        if (xor == 0) {
            out.write(0, 1);
            return;
        }
        int lz = Math.min(31, Long.numberOfLeadingZeros(xor));
        int tz = Long.numberOfTrailingZeros(xor);
        if (leading[device] >= 0 && lz >= leading[device] && tz >= trailing[device]) {
            out.write(0b10, 2);
            out.write(xor >>> trailing[device], 64 - leading[device] - trailing[device]);
        } else {
            int length = 64 - lz - tz;
            out.write(0b11, 2);
            out.write(lz, 5);
            out.write(length - 1, 6);
            out.write(xor >>> tz, length);
            leading[device] = lz;
            trailing[device] = tz;
        }
    }

    double read(BitReader in, int device) {
        if (in.read(1) == 1) {
            if (in.read(1) == 1) {
                int lz = (int) in.read(5);
                int length = (int) in.read(6) + 1;
                if (lz + length > 64) {
                    throw new SegmentFormatException("XOR window wider than 64 bits");
                }
                leading[device] = lz;
                trailing[device] = 64 - lz - length;
            } else if (leading[device] < 0) {
                throw new SegmentFormatException("XOR value reuses a window never sent");
            }
            int tz = trailing[device];
            last[device] ^= in.read(64 - leading[device] - tz) << tz;
        }
        double value = Double.longBitsToDouble(last[device]);
        if (!Double.isFinite(value)) {
            throw new SegmentFormatException("segment value is not finite");
        }
        return value;
    }
}
