package org.vitalvault.cose;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.vitalvault.cbor.CborException;
import org.vitalvault.cbor.CborReader;
import org.vitalvault.cbor.CborWriter;
import org.vitalvault.wire.RejectionReason;

/**
 * COSE_Mac0 (RFC 9052 §6.2) with HMAC 256/256 (COSE algorithm 5, RFC 9053 §3.1): a payload with a
 * MAC under a key shared by a device and the gateway.
 *
 * <p>Format: optionally CBOR tag 17, then {@code [protected: bstr, unprotected: map, payload: bstr,
 * tag: bstr]}. The tag is HMAC-SHA256, all 32 bytes, over the MAC_structure
 * {@code ["MAC0", protected, external_aad = h'', payload]} (RFC 9052 §6.3), computed over the
 * protected header bytes exactly as received.
 *
 * <p>Guarantee: {@link #verify} returns {@link CoseVerification.Verified} only if the message was
 * produced by a holder of {@code key}, unchanged in its protected header and payload. The tag is
 * compared in constant time.
 *
 * <p>What it does not do: it gives no confidentiality; it does not stop replay (a captured message
 * verifies again; freshness is the reading's time window and the vault's de-duplication); it does
 * not choose the key (the caller looks it up from the device identity; {@code kid} is ignored).
 *
 * <p>What is rejected, and as what:
 * <ul>
 *   <li>{@code mac-malformed}: not exactly one such array (trailing bytes included), a tag other
 *       than 17, a detached payload ({@code nil}, since nothing here could supply it), a tag that
 *       is not 32 bytes, header labels that are not integers or text, a label repeated within or
 *       across the two header buckets (RFC 9052 §3), or a {@code crit} header (no extension is
 *       understood here, so none can be honoured);</li>
 *   <li>{@code mac-algorithm-unsupported}: the protected header does not carry {@code alg}
 *       = 5; an {@code alg} only in the unprotected bucket does not count, because nothing would
 *       stop an attacker from changing it;</li>
 *   <li>{@code mac-invalid}: well formed, right algorithm, wrong tag;</li>
 *   <li>{@code payload-too-large}: the message is longer than the caller's limit; it is not parsed.</li>
 * </ul>
 *
 * <p>Limits, each checked before the work it bounds, so that any message costs time linear in its
 * size: the message size (before parsing), {@value #MAX_HEADER_LABELS} labels per header bucket
 * (a declared count above it is refused before one label is read), {@value #MAX_TEXT_BYTES} bytes per
 * text label, nesting depth {@value #MAX_DEPTH} inside header values (the reader recurses no
 * deeper). Repeated labels are found with hash sets, not by scanning a list per label. Beyond a
 * limit the message is {@code mac-malformed}.
 */
public final class CoseMac0 {

    /** CBOR tag for COSE_Mac0 (RFC 9052 §2). */
    public static final int COSE_MAC0_TAG = 17;
    /** COSE algorithm identifier of HMAC 256/256 (RFC 9053 §3.1). */
    public static final int HMAC_256_256 = 5;
    /** RFC 2104 §3: keys shorter than the hash output weaken HMAC. */
    public static final int MIN_KEY_BYTES = 32;

    static final int TAG_BYTES = 32;
    private static final long LABEL_ALG = 1;
    private static final long LABEL_CRIT = 2;
    private static final int MAX_DEPTH = 16;
    /**
     * Labels per header bucket. RFC 9052 defines a handful of header parameters and a MAC0 from a
     * sensor carries one or two; the bound keeps header checks constant-time per message.
     */
    static final int MAX_HEADER_LABELS = 32;
    /** Bytes of a text label; registered text labels are short names. */
    static final int MAX_TEXT_BYTES = 256;
    /** What {@link #verify(byte[], byte[])} accepts: room for the gateway's 64 KiB packs and the envelope. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65_536 + 1024;
    private static final String CONTEXT = "MAC0";
    private static final String HMAC_SHA256 = "HmacSHA256";
    /** {@code {1: 5}}: what {@link #create} puts in the protected header. */
    private static final byte[] PROTECTED_HMAC_256_256 =
            new CborWriter().writeMapStart(1).writeInteger(LABEL_ALG).writeInteger(HMAC_256_256).toByteArray();

    private CoseMac0() {
    }

    /**
     * Checks a COSE_Mac0 message of at most {@link #DEFAULT_MAX_MESSAGE_BYTES} against {@code key}.
     *
     * @see #verify(byte[], byte[], int)
     */
    public static CoseVerification verify(byte[] message, byte[] key) {
        return verify(message, key, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * Checks a COSE_Mac0 message (tagged or untagged) against {@code key}.
     *
     * @param message         the message as received; any bytes at all are safe
     * @param key             the shared key, at least {@link #MIN_KEY_BYTES} bytes
     * @param maxMessageBytes longer messages are rejected ({@code payload-too-large}) before parsing
     * @return the payload, or why the message was rejected
     * @throws IllegalArgumentException if the key is too short (a configuration error, not the message's)
     */
    public static CoseVerification verify(byte[] message, byte[] key, int maxMessageBytes) {
        requireKey(key);
        if (message.length > maxMessageBytes) {
            return new CoseRejection(RejectionReason.PAYLOAD_TOO_LARGE);
        }
        byte[] protectedHeader;
        Set<Object> unprotectedLabels;
        byte[] payload;
        byte[] tag;
        CborReader reader = new CborReader(message, MAX_DEPTH, MAX_TEXT_BYTES);
        try {
            if (reader.peekMajorType() == CborReader.MAJOR_TAG && reader.readTag() != COSE_MAC0_TAG) {
                return malformed();
            }
            if (reader.peekMajorType() != CborReader.MAJOR_ARRAY || reader.readArrayStart() != 4
                    || reader.peekMajorType() != CborReader.MAJOR_BYTES) {
                return malformed();
            }
            protectedHeader = reader.readBytes();
            if (reader.peekMajorType() != CborReader.MAJOR_MAP) {
                return malformed();
            }
            unprotectedLabels = readHeaderLabels(reader);
            if (unprotectedLabels == null || reader.peekMajorType() != CborReader.MAJOR_BYTES) {
                return malformed(); // includes nil: a detached payload
            }
            payload = reader.readBytes();
            if (reader.peekMajorType() != CborReader.MAJOR_BYTES) {
                return malformed();
            }
            tag = reader.readBytes();
            if (tag.length != TAG_BYTES || !reader.atEnd()) {
                return malformed();
            }
        } catch (CborException e) {
            return malformed();
        }
        RejectionReason headerProblem = checkProtectedHeader(protectedHeader, unprotectedLabels);
        if (headerProblem != null) {
            return new CoseRejection(headerProblem);
        }
        byte[] expected = hmacSha256(key, macStructure(protectedHeader, payload));
        if (!MessageDigest.isEqual(expected, tag)) {
            return new CoseRejection(RejectionReason.MAC_INVALID);
        }
        return new CoseVerification.Verified(payload);
    }

    /**
     * Builds a tagged COSE_Mac0 message: protected header {@code {1: 5}}, empty unprotected header,
     * attached payload, 32-byte HMAC-SHA256 tag. For devices, the simulator and tests.
     *
     * @throws IllegalArgumentException if the key is shorter than {@link #MIN_KEY_BYTES}
     */
    public static byte[] create(byte[] payload, byte[] key) {
        requireKey(key);
        Objects.requireNonNull(payload, "payload");
        byte[] tag = hmacSha256(key, macStructure(PROTECTED_HMAC_256_256, payload));
        return new CborWriter()
                .writeTag(COSE_MAC0_TAG)
                .writeArrayStart(4)
                .writeBytes(PROTECTED_HMAC_256_256)
                .writeMapStart(0)
                .writeBytes(payload)
                .writeBytes(tag)
                .toByteArray();
    }

    /** The bytes that are MACed (RFC 9052 §6.3), with an empty external_aad. */
    static byte[] macStructure(byte[] protectedHeader, byte[] payload) {
        return new CborWriter()
                .writeArrayStart(4)
                .writeText(CONTEXT)
                .writeBytes(protectedHeader)
                .writeBytes(new byte[0])
                .writeBytes(payload)
                .toByteArray();
    }

    /** Null if the protected header names HMAC 256/256 and the buckets are consistent, else a reason. */
    private static RejectionReason checkProtectedHeader(byte[] encoded, Set<Object> unprotectedLabels) {
        // RFC 9052 §3: a zero-length protected header stands for the empty map.
        if (encoded.length == 0) {
            return RejectionReason.MAC_ALGORITHM_UNSUPPORTED;
        }
        CborReader reader = new CborReader(encoded, MAX_DEPTH, MAX_TEXT_BYTES);
        Set<Object> labels;
        boolean algorithmSupported = false;
        try {
            if (reader.peekMajorType() != CborReader.MAJOR_MAP) {
                return RejectionReason.MAC_MALFORMED;
            }
            long pairs = reader.readMapStart();
            if (pairs > MAX_HEADER_LABELS) {
                return RejectionReason.MAC_MALFORMED;
            }
            labels = new HashSet<>();
            for (long i = 0; pairs == CborReader.INDEFINITE ? !reader.peekBreak() : i < pairs; i++) {
                Object label = readLabel(reader);
                if (label == null || i == MAX_HEADER_LABELS || !labels.add(label) || label.equals(LABEL_CRIT)) {
                    return RejectionReason.MAC_MALFORMED;
                }
                if (label.equals(LABEL_ALG) && reader.peekInteger()) {
                    algorithmSupported = reader.readInteger() == HMAC_256_256;
                } else {
                    reader.skip();
                }
            }
            if (pairs == CborReader.INDEFINITE) {
                reader.readBreak();
            }
            if (!reader.atEnd()) {
                return RejectionReason.MAC_MALFORMED;
            }
        } catch (CborException e) {
            return RejectionReason.MAC_MALFORMED;
        }
        for (Object label : unprotectedLabels) {
            if (labels.contains(label)) {
                return RejectionReason.MAC_MALFORMED;
            }
        }
        return algorithmSupported ? null : RejectionReason.MAC_ALGORITHM_UNSUPPORTED;
    }

    /**
     * Labels of a header map, values skipped; null if there are more than {@value #MAX_HEADER_LABELS},
     * or a label is not int/text, repeats, or is crit.
     */
    private static Set<Object> readHeaderLabels(CborReader reader) throws CborException {
        long pairs = reader.readMapStart();
        if (pairs > MAX_HEADER_LABELS) {
            return null;
        }
        Set<Object> labels = new HashSet<>();
        for (long i = 0; pairs == CborReader.INDEFINITE ? !reader.peekBreak() : i < pairs; i++) {
            Object label = readLabel(reader);
            if (label == null || i == MAX_HEADER_LABELS || !labels.add(label) || label.equals(LABEL_CRIT)) {
                return null;
            }
            reader.skip();
        }
        if (pairs == CborReader.INDEFINITE) {
            reader.readBreak();
        }
        return labels;
    }

    /** A header label: Long for integers, String for text; null for anything else (RFC 9052 §3). */
    private static Object readLabel(CborReader reader) throws CborException {
        if (reader.peekInteger()) {
            return reader.readInteger();
        }
        if (reader.peekMajorType() == CborReader.MAJOR_TEXT) {
            return reader.readText();
        }
        return null;
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static void requireKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("key must be at least " + MIN_KEY_BYTES + " bytes");
        }
    }

    private static CoseRejection malformed() {
        return new CoseRejection(RejectionReason.MAC_MALFORMED);
    }
}
