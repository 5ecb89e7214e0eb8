package org.vitalvault.cbor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes CBOR data items (RFC 8949) into a growing byte array, using preferred serialization
 * (§4.2.1 and §4.2.2): the shortest head for every integer, length and tag, and for floats the
 * shortest of half, single or double precision that holds the value exactly.
 *
 * <p>Only definite lengths are written; the caller states each array and map size up front and
 * is responsible for then writing that many items. Not thread-safe.
 *
 * <p>See {@link CborReader} for why this sits in the {@code cose} package.
 */
public final class CborWriter {

    /** Integral doubles up to this magnitude are exact as CBOR integers. */
    private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992d; // 2^53

    private byte[] buffer = new byte[64];
    private int length;

    public CborWriter writeArrayStart(int size) {
        requireSize(size);
        writeHead(CborReader.MAJOR_ARRAY, size);
        return this;
    }

    public CborWriter writeMapStart(int pairs) {
        requireSize(pairs);
        writeHead(CborReader.MAJOR_MAP, pairs);
        return this;
    }

    public CborWriter writeTag(long tag) {
        if (tag < 0) {
            throw new IllegalArgumentException("tag must not be negative");
        }
        writeHead(CborReader.MAJOR_TAG, tag);
        return this;
    }

    public CborWriter writeInteger(long value) {
        if (value >= 0) {
            writeHead(CborReader.MAJOR_UNSIGNED, value);
        } else {
            writeHead(CborReader.MAJOR_NEGATIVE, -1 - value);
        }
        return this;
    }

    public CborWriter writeText(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        writeHead(CborReader.MAJOR_TEXT, utf8.length);
        append(utf8, 0, utf8.length);
        return this;
    }

    public CborWriter writeBytes(byte[] bytes) {
        writeHead(CborReader.MAJOR_BYTES, bytes.length);
        append(bytes, 0, bytes.length);
        return this;
    }

    public CborWriter writeBoolean(boolean value) {
        ensure(1);
        buffer[length++] = (byte) (value ? 0xf5 : 0xf4);
        return this;
    }

    public CborWriter writeNull() {
        ensure(1);
        buffer[length++] = (byte) 0xf6;
        return this;
    }

    /**
     * Writes a number the way RFC 8428 §6 allows for SenML: an integral value that a double holds
     * exactly (|v| ≤ 2^53, not -0.0) as an integer, anything else as the shortest exact float.
     * Either way the reader gets back exactly {@code value}.
     */
    public CborWriter writeNumber(double value) {
        boolean negativeZero = value == 0 && Double.doubleToRawLongBits(value) != 0;
        if (value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_INTEGER && !negativeZero) {
            return writeInteger((long) value);
        }
        return writeFloat(value);
    }

    /** Writes {@code value} as the shortest of half, single and double precision that is exact. */
    public CborWriter writeFloat(double value) {
        float single = (float) value;
        if (Double.isNaN(value) || (double) single == value) {
            int half = exactHalf(single);
            if (half >= 0) {
                ensure(3);
                buffer[length++] = (byte) 0xf9;
                buffer[length++] = (byte) (half >>> 8);
                buffer[length++] = (byte) half;
                return this;
            }
            ensure(5);
            buffer[length++] = (byte) 0xfa;
            putBigEndian(Float.floatToIntBits(single), 4);
            return this;
        }
        ensure(9);
        buffer[length++] = (byte) 0xfb;
        putBigEndian(Double.doubleToLongBits(value), 8);
        return this;
    }

    /** A copy of everything written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    /** Half-precision bits holding {@code value} exactly, or -1 if there are none. NaN maps to 0x7e00. */
    static int exactHalf(float value) {
        if (Float.isNaN(value)) {
            return 0x7e00;
        }
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int biasedExponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (biasedExponent == 0xff) {
            return sign | 0x7c00;
        }
        if (biasedExponent == 0 && mantissa == 0) {
            return sign;
        }
        if (biasedExponent == 0) {
            return -1; // single-precision subnormals are far below the half range
        }
        int exponent = biasedExponent - 127;
        if (exponent >= -14 && exponent <= 15) {
            if ((mantissa & 0x1fff) != 0) {
                return -1;
            }
            return sign | ((exponent + 15) << 10) | (mantissa >>> 13);
        }
        if (exponent >= -24 && exponent < -14) {
            int significand = 0x800000 | mantissa;
            int shift = -exponent - 1;
            if ((significand & ((1 << shift) - 1)) != 0) {
                return -1;
            }
            return sign | (significand >>> shift);
        }
        return -1;
    }

    private static void requireSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    /** Head with an unsigned argument ({@code argument} read as unsigned 64-bit). */
    private void writeHead(int major, long argument) {
        int type = major << 5;
        ensure(9);
        if (argument >= 0 && argument < 24) {
            buffer[length++] = (byte) (type | (int) argument);
        } else if (argument >= 0 && argument <= 0xff) {
            buffer[length++] = (byte) (type | 24);
            putBigEndian(argument, 1);
        } else if (argument >= 0 && argument <= 0xffff) {
            buffer[length++] = (byte) (type | 25);
            putBigEndian(argument, 2);
        } else if (argument >= 0 && argument <= 0xffff_ffffL) {
            buffer[length++] = (byte) (type | 26);
            putBigEndian(argument, 4);
        } else {
            buffer[length++] = (byte) (type | 27);
            putBigEndian(argument, 8);
        }
    }

    private void putBigEndian(long value, int size) {
        for (int i = size - 1; i >= 0; i--) {
            buffer[length++] = (byte) (value >>> (8 * i));
        }
    }

    private void append(byte[] bytes, int offset, int count) {
        ensure(count);
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
    }

    private void ensure(int extra) {
        if (buffer.length - length < extra) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
