package org.vitalvault.cose;

import org.vitalvault.cbor.CborWriter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vitalvault.wire.RejectionReason;

/**
 * COSE_Mac0 with HMAC 256/256. Published vectors are from the cose-wg/Examples repository
 * (test resources {@code cose/}, see SOURCES.md there).
 */
class CoseMac0Test {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 8);
    }

    /** A published example: its key, plaintext, MAC_structure and message. */
    private record Vector(byte[] key, byte[] plaintext, byte[] toMac, byte[] message) {

        static Vector load(String name) throws IOException {
            try (InputStream in = CoseMac0Test.class.getResourceAsStream("/cose/" + name)) {
                JsonNode root = JSON.readTree(in);
                String k = root.at("/input/mac0/recipients/0/key/k").asText();
                return new Vector(Base64.getUrlDecoder().decode(k),
                        root.at("/input/plaintext").asText().getBytes(StandardCharsets.UTF_8),
                        HexFormat.of().parseHex(root.at("/intermediates/ToMac_hex").asText()),
                        HexFormat.of().parseHex(root.at("/output/cbor").asText()));
            }
        }
    }

    private static RejectionReason rejection(CoseVerification verification) {
        return assertInstanceOf(CoseRejection.class, verification).reason();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    @Test
    void publishedHmac01VerifiesToItsPlaintext() throws IOException {
        Vector v = Vector.load("HMac-01.json");
        assertEquals(new CoseVerification.Verified(v.plaintext()), CoseMac0.verify(v.message(), v.key()));
    }

    @Test
    void createReproducesThePublishedHmac01MessageByteForByte() throws IOException {
        Vector v = Vector.load("HMac-01.json");
        assertArrayEquals(v.message(), CoseMac0.create(v.plaintext(), v.key()));
    }

    @Test
    void macStructureIsThePublishedToMacBytes() throws IOException {
        Vector v = Vector.load("HMac-01.json");
        assertArrayEquals(v.toMac(), CoseMac0.macStructure(hex("a10105"), v.plaintext()));
    }

    @Test
    void untaggedMessageVerifiesToo() throws IOException {
        Vector v = Vector.load("HMac-01.json");
        byte[] untagged = Arrays.copyOfRange(v.message(), 1, v.message().length);
        assertEquals(new CoseVerification.Verified(v.plaintext()), CoseMac0.verify(untagged, v.key()));
    }

    @ParameterizedTest
    @CsvSource({
        "mac-fail-01.json, mac-malformed",              // CBOR tag 992, not 17
        "mac-fail-02.json, mac-invalid",                // tag changed
        "mac-fail-03.json, mac-algorithm-unsupported",  // alg -999
        "mac-fail-04.json, mac-algorithm-unsupported",  // alg "Unknown"
        "mac-fail-06.json, mac-invalid",                // protected header grew after MACing
        "mac-fail-07.json, mac-invalid",                // protected header shrank after MACing
        "mac-pass-03.json, mac-algorithm-unsupported"}) // alg only unprotected: not accepted here
    void publishedVectorIsRejectedForTheRightReason(String vector, String reason) throws IOException {
        Vector v = Vector.load(vector);
        assertEquals(reason, rejection(CoseMac0.verify(v.message(), v.key())).code());
    }

    @Test
    void wrongKeyIsMacInvalid() {
        byte[] message = CoseMac0.create("[]".getBytes(StandardCharsets.UTF_8), KEY);
        assertEquals(RejectionReason.MAC_INVALID, rejection(CoseMac0.verify(message, OTHER_KEY)));
    }

    @Test
    void detachedPayloadIsMalformed() {
        // 17([h'a10105', {}, nil, h'00'*32])
        byte[] detached = hex("d1 84 43 a10105 a0 f6 5820" + "00".repeat(32));
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(detached, KEY)));
    }

    @Test
    void truncatedTagIsMalformedNotAShorterMac() {
        byte[] message = CoseMac0.create(new byte[] {1}, KEY);
        byte[] truncated = hex("d1 84 43 a10105 a0 41 01 50" + HexFormat.of().formatHex(message, message.length - 32,
                message.length - 16));
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(truncated, KEY)));
    }

    @Test
    void bytesAfterTheMessageAreMalformed() {
        byte[] message = CoseMac0.create(new byte[] {1}, KEY);
        byte[] longer = Arrays.copyOf(message, message.length + 1);
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(longer, KEY)));
    }

    @Test
    void algorithmInBothHeaderBucketsIsMalformed() {
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(withHeaders("a10105", "a10105"), KEY)));
    }

    @Test
    void criticalHeaderIsMalformedBecauseNoExtensionIsUnderstood() {
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(withHeaders("a2010502810a", "a0"), KEY)));
    }

    /** {label: 0} for labels 1000, 1001, …: distinct, no crit, nothing else wrong with them. */
    private static byte[] headerWithLabels(int count, boolean withAlg) {
        return headerWithLabels(count, withAlg, 1000);
    }

    private static byte[] headerWithLabels(int count, boolean withAlg, int firstLabel) {
        CborWriter w = new CborWriter().writeMapStart(count + (withAlg ? 1 : 0));
        if (withAlg) {
            w.writeInteger(1).writeInteger(CoseMac0.HMAC_256_256);
        }
        for (int i = 0; i < count; i++) {
            w.writeInteger(firstLabel + i).writeInteger(0);
        }
        return w.toByteArray();
    }

    @Test
    void unprotectedHeaderWith300000LabelsIsRefusedByTheLabelLimit() {
        byte[] message = withHeaders(hex("a10105"), headerWithLabels(300_000, false));
        // The size limit would refuse it first; lift it to reach the label limit.
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(message, KEY, message.length)));
    }

    @Test
    void protectedHeaderWith300000LabelsIsRefusedByTheLabelLimit() {
        byte[] message = withHeaders(headerWithLabels(300_000, true), hex("a0"));
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(message, KEY, message.length)));
    }

    @Test
    void indefiniteHeaderMapIsCountedAgainstTheLabelLimit() {
        CborWriter pairs = new CborWriter();
        for (int i = 0; i < 300_000; i++) {
            pairs.writeInteger(1000 + i).writeInteger(0);
        }
        byte[] body = pairs.toByteArray();
        byte[] indefinite = new byte[body.length + 2];
        indefinite[0] = (byte) 0xbf; // map of indefinite length …
        System.arraycopy(body, 0, indefinite, 1, body.length);
        indefinite[indefinite.length - 1] = (byte) 0xff; // … closed by a break
        byte[] message = withHeaders(hex("a10105"), indefinite);
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(message, KEY, message.length)));
    }

    @Test
    void headersAtTheLabelLimitVerify() {
        byte[] message = withHeaders(headerWithLabels(CoseMac0.MAX_HEADER_LABELS - 1, true),
                headerWithLabels(CoseMac0.MAX_HEADER_LABELS, false, 2000));
        assertInstanceOf(CoseVerification.Verified.class, CoseMac0.verify(message, KEY));
    }

    @Test
    void headerValueNested10000DeepIsRefusedWithoutExhaustingTheStack() {
        byte[] unprotected = hex("a1 19 03e8" + "81".repeat(10_000) + "00"); // {1000: [[[…0…]]]}
        assertEquals(RejectionReason.MAC_MALFORMED,
                rejection(CoseMac0.verify(withHeaders(hex("a10105"), unprotected), KEY)));
    }

    @Test
    void messageOverTheSizeLimitIsRefusedBeforeParsing() {
        byte[] message = CoseMac0.create(new byte[2000], KEY);
        assertEquals(RejectionReason.PAYLOAD_TOO_LARGE, rejection(CoseMac0.verify(message, KEY, message.length - 1)));
        assertInstanceOf(CoseVerification.Verified.class, CoseMac0.verify(message, KEY, message.length));
    }

    @Test
    void longTextLabelIsMalformed() {
        byte[] unprotected = new CborWriter().writeMapStart(1).writeText("x".repeat(CoseMac0.MAX_TEXT_BYTES + 1))
                .writeInteger(0).toByteArray();
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(withHeaders(hex("a10105"), unprotected), KEY)));
    }

    @Test
    void repeatedProtectedLabelIsMalformed() {
        assertEquals(RejectionReason.MAC_MALFORMED, rejection(CoseMac0.verify(withHeaders("a201050105", "a0"), KEY)));
    }

    @Test
    void emptyProtectedHeaderIsAlgorithmUnsupported() {
        assertEquals(RejectionReason.MAC_ALGORITHM_UNSUPPORTED, rejection(CoseMac0.verify(withHeaders("", "a10105"), KEY)));
    }

    @Test
    void otherHmacVariantsAreAlgorithmUnsupported() {
        // alg 4 is HMAC 256/64, alg 6 HMAC 384/384
        assertEquals(RejectionReason.MAC_ALGORITHM_UNSUPPORTED, rejection(CoseMac0.verify(withHeaders("a10104", "a0"), KEY)));
        assertEquals(RejectionReason.MAC_ALGORITHM_UNSUPPORTED, rejection(CoseMac0.verify(withHeaders("a10106", "a0"), KEY)));
    }

    @Test
    void unprotectedKeyIdIsAllowedAndIgnored() {
        assertInstanceOf(CoseVerification.Verified.class, CoseMac0.verify(withHeaders("a10105", "a1044164"), KEY));
    }

    @Test
    void keyShorterThanTheHashIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> CoseMac0.verify(new byte[0], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> CoseMac0.create(new byte[0], new byte[31]));
    }

    @Test
    void verifiedPayloadIsNotShownByToString() {
        String shown = new CoseVerification.Verified("[{\"n\":\"hr\",\"v\":61}]".getBytes(StandardCharsets.UTF_8)).toString();
        assertFalse(shown.contains("61"));
    }

    @Property(tries = 500)
    void createThenVerifyGivesBackThePayload(@ForAll @Size(max = 300) byte[] payload, @ForAll @Size(min = 32, max = 64) byte[] key) {
        assertEquals(new CoseVerification.Verified(payload), CoseMac0.verify(CoseMac0.create(payload, key), key));
    }

    @Property(tries = 1000)
    void changingAnyByteOfACreatedMessageFailsVerification(@ForAll @Size(max = 100) byte[] payload,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] message = CoseMac0.create(payload, KEY);
        message[position % message.length] ^= (byte) mask;
        assertInstanceOf(CoseRejection.class, CoseMac0.verify(message, KEY));
    }

    @Property(tries = 500)
    void anotherKeyNeverVerifies(@ForAll @Size(max = 100) byte[] payload, @ForAll @Size(min = 32, max = 32) byte[] otherKey) {
        if (Arrays.equals(otherKey, KEY)) {
            return;
        }
        assertEquals(RejectionReason.MAC_INVALID, rejection(CoseMac0.verify(CoseMac0.create(payload, KEY), otherKey)));
    }

    @Property(tries = 1000)
    void arbitraryBytesNeverThrow(@ForAll("messages") byte[] message) {
        assertNotNull(CoseMac0.verify(message, KEY));
    }

    @Provide
    Arbitrary<byte[]> messages() {
        byte[] valid = CoseMac0.create("[{\"n\":\"hr\",\"v\":61}]".getBytes(StandardCharsets.UTF_8), KEY);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, valid.length - 1),
                        Arbitraries.bytes(), Arbitraries.integers().between(0, valid.length))
                .as((at, b, cut) -> {
                    byte[] copy = Arrays.copyOf(valid, cut);
                    if (at < copy.length) {
                        copy[at] = b;
                    }
                    return copy;
                });
        Arbitrary<byte[]> nested = Combinators.combine(Arbitraries.integers().between(1, 20_000),
                        Arbitraries.of("81", "9f", "a1", "d1", "bf"), Arbitraries.of("d1 84 43 a10105 ", "84 40 ", "84 40 a1 01 "))
                .as((depth, head, prefix) -> hex(prefix + head.repeat(depth)));
        Arbitrary<byte[]> hugeLengths = Combinators.combine(
                        Arbitraries.of("d1 84 ", "84 43 a10105 ", "84 43 a10105 a0 ", "84 43 a10105 a0 41 00 ", "84 5f "),
                        Arbitraries.of("5b", "7b", "9b", "bb", "db"),
                        Arbitraries.of("ffffffffffffffff", "7fffffffffffffff", "0000000100000000"))
                .as((prefix, head, length) -> hex(prefix + head + length));
        return Arbitraries.oneOf(random, mutated, nested, hugeLengths);
    }

    /** A message with these header encodings, MACed correctly over the given protected bytes. */
    private static byte[] withHeaders(String protectedHex, String unprotectedHex) {
        return withHeaders(hex(protectedHex), hex(unprotectedHex));
    }

    /** A message with a correct tag over these headers and payload {@code h'01'}. */
    private static byte[] withHeaders(byte[] protectedHeader, byte[] unprotected) {
        byte[] payload = {0x01};
        byte[] tag = hmac(CoseMac0.macStructure(protectedHeader, payload));
        CborWriter w = new CborWriter().writeTag(17).writeArrayStart(4).writeBytes(protectedHeader);
        byte[] head = w.toByteArray();
        byte[] rest = new CborWriter().writeBytes(payload).writeBytes(tag).toByteArray();
        byte[] message = Arrays.copyOf(head, head.length + unprotected.length + rest.length);
        System.arraycopy(unprotected, 0, message, head.length, unprotected.length);
        System.arraycopy(rest, 0, message, head.length + unprotected.length, rest.length);
        return message;
    }

    private static byte[] hmac(byte[] data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
