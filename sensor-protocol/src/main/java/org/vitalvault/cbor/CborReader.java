package org.vitalvault.cbor;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A pull reader over CBOR data items (RFC 8949) held in one byte array.
 *
 * <p>Guarantees, for any input whatsoever:
 * <ul>
 *   <li>it never reads outside the slice it was given, and fails with {@link CborException}
 *       rather than any other exception;</li>
 *   <li>every declared length or element count is checked against the bytes that remain before
 *       anything is allocated or iterated, so a header claiming 2^64 elements costs nothing; the
 *       largest allocation is the size of the input;</li>
 *   <li>{@link #skip()} refuses arrays, maps and tags nested deeper than {@code maxDepth}, so a
 *       hostile item cannot exhaust the stack; every step consumes at least one byte, so work is
 *       linear in the input;</li>
 *   <li>text strings are strict UTF-8, and a reader built with a text limit decodes none longer;</li>
 *   <li>nothing in it recurses deeper than {@code maxDepth}, so even a payload nested 10,000
 *       levels costs at most {@code maxDepth} stack frames before it is refused.</li>
 * </ul>
 *
 * <p>Limits: it reports tags but interprets none; integers must fit a signed 64-bit long to be
 * read as integers ({@link #readNumber()} accepts the full CBOR range); it does not check
 * preferred serialization, map key order or duplicate keys: callers that care (SenML, COSE
 * headers) check what matters to them. Not thread-safe: one reader per message.
 *
 * <p>This lives beside COSE because CBOR is COSE's substrate and this change was confined to
 * the {@code cose} and {@code senml} packages; it depends on neither, so it can move to a
 * {@code cbor} package of its own.
 */
public final class CborReader {

    public static final int MAJOR_UNSIGNED = 0;
    public static final int MAJOR_NEGATIVE = 1;
    public static final int MAJOR_BYTES = 2;
    public static final int MAJOR_TEXT = 3;
    public static final int MAJOR_ARRAY = 4;
    public static final int MAJOR_MAP = 5;
    public static final int MAJOR_TAG = 6;
    public static final int MAJOR_SIMPLE = 7;

    /** Returned by {@link #readArrayStart()} and {@link #readMapStart()} for indefinite length. */
    public static final long INDEFINITE = -1;

    private static final int AI_INDEFINITE = 31;
    private static final int FALSE = 0xf4;
    private static final int TRUE = 0xf5;
    private static final int NULL = 0xf6;
    private static final int HALF = 0xf9;
    private static final int SINGLE = 0xfa;
    private static final int DOUBLE = 0xfb;
    private static final int BREAK = 0xff;

    private final byte[] data;
    private final int end;
    private final int maxDepth;
    private final int maxTextBytes;
    private int pos;

    /** Reads all of {@code data}; {@code maxDepth} bounds the nesting that {@link #skip()} accepts. */
    public CborReader(byte[] data, int maxDepth) {
        this(data, 0, data.length, maxDepth, Integer.MAX_VALUE);
    }

    /**
     * Reads all of {@code data}; {@code maxDepth} bounds the nesting that {@link #skip()} accepts and
     * {@code maxTextBytes} the UTF-8 length of a text string {@link #readText()} decodes (skipped
     * text is not decoded, so it costs nothing to bound).
     */
    public CborReader(byte[] data, int maxDepth, int maxTextBytes) {
        this(data, 0, data.length, maxDepth, maxTextBytes);
    }

    public CborReader(byte[] data, int offset, int length, int maxDepth) {
        this(data, offset, length, maxDepth, Integer.MAX_VALUE);
    }

    private CborReader(byte[] data, int offset, int length, int maxDepth, int maxTextBytes) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
        if (maxTextBytes < 0) {
            throw new IllegalArgumentException("maxTextBytes must be at least 0");
        }
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
        this.maxDepth = maxDepth;
        this.maxTextBytes = maxTextBytes;
    }

    /** True when every byte of the slice has been consumed. */
    public boolean atEnd() {
        return pos == end;
    }

    /** Major type (0 to 7) of the next item, without consuming it. */
    public int peekMajorType() throws CborException {
        return peekInitialByte() >>> 5;
    }

    /** True if the next byte is the "break" that closes an indefinite-length item. */
    public boolean peekBreak() throws CborException {
        return peekInitialByte() == BREAK;
    }

    public void readBreak() throws CborException {
        if (!peekBreak()) {
            throw new CborException("expected a break");
        }
        pos++;
    }

    public boolean peekNull() throws CborException {
        return peekInitialByte() == NULL;
    }

    public boolean peekBoolean() throws CborException {
        int initial = peekInitialByte();
        return initial == FALSE || initial == TRUE;
    }

    public boolean readBoolean() throws CborException {
        int initial = peekInitialByte();
        if (initial != FALSE && initial != TRUE) {
            throw new CborException("expected a boolean");
        }
        pos++;
        return initial == TRUE;
    }

    /** True if the next item is an integer (major type 0 or 1) that fits a signed 64-bit long. */
    public boolean peekInteger() throws CborException {
        int major = peekMajorType();
        if (major != MAJOR_UNSIGNED && major != MAJOR_NEGATIVE) {
            return false;
        }
        int start = pos;
        try {
            return readHead(major, false) >= 0;
        } finally {
            pos = start;
        }
    }

    /** Reads an integer; fails if it does not fit a signed 64-bit long (see {@link #peekInteger()}). */
    public long readInteger() throws CborException {
        int major = peekMajorType();
        if (major != MAJOR_UNSIGNED && major != MAJOR_NEGATIVE) {
            throw new CborException("expected an integer");
        }
        long argument = readHead(major, false);
        if (argument < 0) {
            throw new CborException("integer outside the signed 64-bit range");
        }
        return major == MAJOR_UNSIGNED ? argument : -1 - argument;
    }

    /** True if the next item is a number: an integer of any size or a half, single or double float. */
    public boolean peekNumber() throws CborException {
        int initial = peekInitialByte();
        int major = initial >>> 5;
        return major == MAJOR_UNSIGNED || major == MAJOR_NEGATIVE
                || initial == HALF || initial == SINGLE || initial == DOUBLE;
    }

    /**
     * Reads an integer or a float as the nearest double (exact for floats and for integers up to
     * 2^53). NaN and infinities are returned as such; callers decide whether they are acceptable.
     */
    public double readNumber() throws CborException {
        int initial = peekInitialByte();
        switch (initial) {
            case HALF:
                pos++;
                return halfToDouble((int) readFixed(2));
            case SINGLE:
                pos++;
                return Float.intBitsToFloat((int) readFixed(4));
            case DOUBLE:
                pos++;
                return Double.longBitsToDouble(readFixed(8));
            default:
                break;
        }
        int major = initial >>> 5;
        if (major != MAJOR_UNSIGNED && major != MAJOR_NEGATIVE) {
            throw new CborException("expected a number");
        }
        long argument = readHead(major, false);
        if (argument >= 0) {
            return major == MAJOR_UNSIGNED ? (double) argument : (double) (-1 - argument);
        }
        // 2^63 and above: rare enough that exact rounding through BigInteger costs nothing overall.
        BigInteger unsigned = new BigInteger(Long.toUnsignedString(argument));
        return (major == MAJOR_UNSIGNED ? unsigned : unsigned.add(BigInteger.ONE).negate()).doubleValue();
    }

    /** Reads a tag number (unsigned; a negative long means 2^63 or more). The tagged item follows. */
    public long readTag() throws CborException {
        return readHead(MAJOR_TAG, false);
    }

    /** Element count, at most the bytes remaining, or {@link #INDEFINITE}. */
    public long readArrayStart() throws CborException {
        long count = readHead(MAJOR_ARRAY, true);
        if (count != INDEFINITE) {
            checkedLength(count);
        }
        return count;
    }

    /** Pair count, at most half the bytes remaining, or {@link #INDEFINITE}. */
    public long readMapStart() throws CborException {
        long count = readHead(MAJOR_MAP, true);
        if (count != INDEFINITE && (count < 0 || count > (end - pos) / 2)) {
            throw new CborException("declared map size exceeds the input");
        }
        return count;
    }

    /** Reads a text string (definite or chunked), which must be valid UTF-8 and within the text limit. */
    public String readText() throws CborException {
        long declared = readHead(MAJOR_TEXT, true);
        if (declared == INDEFINITE) {
            byte[] joined = readChunks(MAJOR_TEXT);
            if (joined.length > maxTextBytes) {
                throw new CborException("text string longer than the limit");
            }
            return decodeUtf8(joined, 0, joined.length);
        }
        if (declared > maxTextBytes) {
            throw new CborException("text string longer than the limit");
        }
        int length = checkedLength(declared);
        String text = decodeUtf8(data, pos, length);
        pos += length;
        return text;
    }

    /** Reads a byte string (definite or chunked) into a new array. */
    public byte[] readBytes() throws CborException {
        long declared = readHead(MAJOR_BYTES, true);
        if (declared == INDEFINITE) {
            return readChunks(MAJOR_BYTES);
        }
        int length = checkedLength(declared);
        byte[] bytes = Arrays.copyOfRange(data, pos, pos + length);
        pos += length;
        return bytes;
    }

    /** Skips one complete data item, however nested (up to {@code maxDepth}). */
    public void skip() throws CborException {
        skip(1);
    }

    private void skip(int depth) throws CborException {
        if (depth > maxDepth) {
            throw new CborException("nesting deeper than the limit");
        }
        int initial = peekInitialByte();
        int major = initial >>> 5;
        switch (major) {
            case MAJOR_UNSIGNED:
            case MAJOR_NEGATIVE:
                readHead(major, false);
                return;
            case MAJOR_BYTES:
            case MAJOR_TEXT:
                skipString(major);
                return;
            case MAJOR_ARRAY:
                long elements = readArrayStart();
                if (elements == INDEFINITE) {
                    while (!peekBreak()) {
                        skip(depth + 1);
                    }
                    pos++;
                } else {
                    for (long i = 0; i < elements; i++) {
                        skip(depth + 1);
                    }
                }
                return;
            case MAJOR_MAP:
                long pairs = readMapStart();
                if (pairs == INDEFINITE) {
                    while (!peekBreak()) {
                        skip(depth + 1);
                        skip(depth + 1);
                    }
                    pos++;
                } else {
                    for (long i = 0; i < pairs; i++) {
                        skip(depth + 1);
                        skip(depth + 1);
                    }
                }
                return;
            case MAJOR_TAG:
                readTag();
                skip(depth + 1);
                return;
            default:
                skipSimple(initial);
        }
    }

    private void skipString(int major) throws CborException {
        long declared = readHead(major, true);
        if (declared != INDEFINITE) {
            int length = checkedLength(declared);
            pos += length;
            return;
        }
        skipChunks(major);
    }

    /**
     * Consumes the chunks of an indefinite-length string and its closing break, and returns the
     * total content length (at most the bytes consumed). Each chunk consumes at least its head
     * byte, so the loop ends at the break or, failing one, at the end of the input.
     *
     * <p>The length is taken into a local before it is added: {@code pos += checkedLength(readHead(..))}
     * would read {@code pos} before {@code readHead} advances it (JLS 15.26.2) and so undo the
     * consumed head; an empty chunk ({@code 0x40}) then left {@code pos} unchanged, forever.
     */
    private int skipChunks(int major) throws CborException {
        int total = 0;
        while (!peekBreak()) {
            int length = checkedLength(readHead(major, false));
            pos += length;
            total += length;
        }
        pos++;
        return total;
    }

    private void skipSimple(int initial) throws CborException {
        int additional = initial & 0x1f;
        if (additional == AI_INDEFINITE) {
            throw new CborException("unexpected break");
        }
        pos++;
        if (additional < 24) {
            return;
        }
        switch (additional) {
            case 24:
                // RFC 8949 §3.3: simple values below 32 in the two-byte form are not well formed.
                if (readFixed(1) < 32) {
                    throw new CborException("simple value not well formed");
                }
                return;
            case 25:
                readFixed(2);
                return;
            case 26:
                readFixed(4);
                return;
            case 27:
                readFixed(8);
                return;
            default:
                throw new CborException("reserved additional information");
        }
    }

    private int peekInitialByte() throws CborException {
        if (pos >= end) {
            throw new CborException("unexpected end of input");
        }
        return data[pos] & 0xff;
    }

    /**
     * Consumes the initial byte of an item of the expected major type and its argument, returned
     * as an unsigned 64-bit value (negative when 2^63 or more), or {@link #INDEFINITE}. Where
     * indefinite length is allowed the argument is a length, and one of 2^63 or more is refused.
     */
    private long readHead(int major, boolean indefiniteAllowed) throws CborException {
        int initial = peekInitialByte();
        if (initial >>> 5 != major) {
            throw new CborException("unexpected major type");
        }
        pos++;
        int additional = initial & 0x1f;
        if (additional < 24) {
            return additional;
        }
        switch (additional) {
            case 24:
                return readFixed(1);
            case 25:
                return readFixed(2);
            case 26:
                return readFixed(4);
            case 27:
                long argument = readFixed(8);
                // A length of 2^63 or more exceeds any input, and as a long it could pass for INDEFINITE.
                if (indefiniteAllowed && argument < 0) {
                    throw new CborException("declared length exceeds the input");
                }
                return argument;
            case AI_INDEFINITE:
                if (indefiniteAllowed) {
                    return INDEFINITE;
                }
                throw new CborException("indefinite length not allowed here");
            default:
                throw new CborException("reserved additional information");
        }
    }

    private long readFixed(int size) throws CborException {
        if (end - pos < size) {
            throw new CborException("unexpected end of input");
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (data[pos++] & 0xff);
        }
        return value;
    }

    private int checkedLength(long declared) throws CborException {
        if (declared < 0 || declared > end - pos) {
            throw new CborException("declared length exceeds the input");
        }
        return (int) declared;
    }

    private byte[] readChunks(int major) throws CborException {
        // Measure first, so that the copy is sized by bytes actually present, never by a claim.
        int start = pos;
        int total = skipChunks(major);
        pos = start;
        byte[] joined = new byte[total];
        int at = 0;
        while (!peekBreak()) {
            int length = (int) readHead(major, false);
            System.arraycopy(data, pos, joined, at, length);
            pos += length;
            at += length;
        }
        pos++;
        return joined;
    }

    private static String decodeUtf8(byte[] bytes, int offset, int length) throws CborException {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, offset, length))
                            .toString();
                } catch (CharacterCodingException e) {
                    throw new CborException("text string is not valid UTF-8");
                }
            }
        }
        // All ASCII, the common case: Latin-1 decoding of ASCII is exact and the cheapest path.
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** RFC 8949 Appendix D. */
    static double halfToDouble(int half) {
        int exponent = (half >> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        double value;
        if (exponent == 0) {
            value = Math.scalb((double) mantissa, -24);
        } else if (exponent != 31) {
            value = Math.scalb((double) (mantissa + 1024), exponent - 25);
        } else {
            value = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        return (half & 0x8000) != 0 ? -value : value;
    }
}
