package org.vitalvault.vault.export;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A growable char buffer with the two number formats the export writes, without a String or a
 * BigDecimal per value: an export streams millions of readings, so formatting must not allocate.
 *
 * <p>Decimals are written plainly (no exponent), without trailing zeros, whole numbers as integers
 * ({@code 72}, not {@code 72.0}), and always with the fewest decimals that parse back to the very
 * same double, so an export is lossless.
 */
final class TextBuffer {

    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    /** Below 2^53 every whole double is exact, and its scaled forms fit a long with room to spare. */
    private static final double EXACT_LIMIT = 0x1p53;

    private char[] chars;
    private int length;

    TextBuffer(int capacity) {
        chars = new char[capacity];
    }

    char[] chars() {
        return chars;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    TextBuffer append(char c) {
        ensure(1);
        chars[length++] = c;
        return this;
    }

    TextBuffer append(String s) {
        int n = s.length();
        ensure(n);
        s.getChars(0, n, chars, length);
        length += n;
        return this;
    }

    TextBuffer append(char[] s) {
        ensure(s.length);
        System.arraycopy(s, 0, chars, length, s.length);
        length += s.length;
        return this;
    }

    /** Appends {@code value} in decimal. */
    TextBuffer appendLong(long value) {
        if (value == Long.MIN_VALUE) {
            return append(Long.toString(value));
        }
        ensure(20);
        if (value < 0) {
            chars[length++] = '-';
            value = -value;
        }
        int digits = digits(value);
        int end = length + digits;
        for (int i = end - 1; i >= length; i--) {
            chars[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        length = end;
        return this;
    }

    /** Appends {@code value} zero-padded to {@code width} digits; value must be non-negative. */
    TextBuffer appendPadded(int value, int width) {
        ensure(width);
        for (int i = length + width - 1; i >= length; i--) {
            chars[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        length += width;
        return this;
    }

    /**
     * Appends a finite double as a plain decimal: {@code 72}, {@code 36.6}, {@code -0.125}; never an
     * exponent, never a trailing zero. -0.0 is written as {@code 0}.
     */
    TextBuffer appendDecimal(double value) {
        double magnitude = Math.abs(value);
        if (magnitude < EXACT_LIMIT) {
            if (value == (long) value) {
                return appendLong((long) value);
            }
            // m / 10^k for the fewest places k: the shortest plain text that parses back to value.
            for (int k = 1; k < POW10.length; k++) {
                double scaled = value * POW10[k];
                if (Math.abs(scaled) >= EXACT_LIMIT) {
                    break;
                }
                long m = Math.round(scaled);
                if (m / POW10[k] == value) {
                    return appendScaled(m, k);
                }
            }
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite value");
        }
        // Rare: more than six places, or huge. Double.toString round-trips; strip to plain text.
        return append(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    }

    /** Appends m / 10^places with the point placed, trailing zeros dropped. */
    private TextBuffer appendScaled(long m, int places) {
        if (m < 0) {
            append('-');
            m = -m;
        }
        while (places > 0 && m % 10 == 0) {
            m /= 10;
            places--;
        }
        long pow = 1;
        for (int i = 0; i < places; i++) {
            pow *= 10;
        }
        appendLong(m / pow);
        if (places > 0) {
            append('.');
            long fraction = m % pow;
            ensure(places);
            for (int i = length + places - 1; i >= length; i--) {
                chars[i] = (char) ('0' + fraction % 10);
                fraction /= 10;
            }
            length += places;
        }
        return this;
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    private void ensure(int more) {
        if (length + more > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + more));
        }
    }

    /** The text so far (named so, not toString, because it may hold health values). */
    String text() {
        return new String(chars, 0, length);
    }
}
