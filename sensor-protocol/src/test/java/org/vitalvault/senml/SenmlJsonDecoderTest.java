package org.vitalvault.senml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.vitalvault.wire.RejectionReason;

/** What is specific to the JSON encoding; resolution rules are in {@link SenmlResolverTest}. */
class SenmlJsonDecoderTest {

    private static final double NOW = 1_780_000_000d;
    private final SenmlJsonDecoder decoder = new SenmlJsonDecoder(65_536, 1000);

    private SenmlResult decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private static SenmlResult.RecordRejection wholePack(RejectionReason reason) {
        return new SenmlResult.RecordRejection(-1, reason, 1);
    }

    @Test
    void baseValueIsAddedToEachValue() {
        SenmlResult r = decode("[{\"bn\":\"hr\",\"bv\":70,\"v\":2,\"bt\":1780000000},{\"t\":1,\"v\":-1},{\"t\":2}]");
        assertEquals(List.of(72d, 69d, 70d), r.records().stream().map(SenmlRecord::value).toList());
    }

    @Test
    void stringValueIsRejectedAndTheGoodRecordKept() {
        SenmlResult r = decode("[{\"n\":\"heart_rate\",\"vs\":\"fast\"},{\"n\":\"heart_rate\",\"v\":61}]");
        assertEquals(List.of(new SenmlRecord("heart_rate", null, 61, NOW, 1)), r.records());
        assertEquals(List.of(new SenmlResult.RecordRejection(0, RejectionReason.NO_NUMERIC_VALUE, 1)), r.rejections());
    }

    @Test
    void notJsonIsMalformed() {
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode("{\"n\":").rejections());
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode("").rejections());
    }

    @Test
    void emptyPackIsRejectedWhole() {
        assertEquals(List.of(wholePack(RejectionReason.EMPTY_PACK)), decode("[]").rejections());
        assertEquals(List.of(wholePack(RejectionReason.EMPTY_PACK)), decode(" [ ] ").rejections());
    }

    @Test
    void mustUnderstandFieldIsAnUnsupportedField() {
        SenmlResult r = decode("[{\"n\":\"hr\",\"v\":60,\"calibrated_\":true}]");
        assertEquals(List.of(new SenmlResult.RecordRejection(0, RejectionReason.UNSUPPORTED_FIELD, 1)), r.rejections());
    }

    @Test
    void packThatIsNotAnArrayIsMalformed() {
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode("{\"n\":\"heart_rate\",\"v\":1}").rejections());
    }

    @Test
    void truncatedPackIsRejectedWholeEvenAfterGoodRecords() {
        SenmlResult r = decode("[{\"n\":\"hr\",\"v\":60},{\"n\":\"hr\",\"v\":6");
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), r.rejections());
        assertTrue(r.records().isEmpty());
    }

    @Test
    void contentAfterThePackIsMalformed() {
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode("[{\"n\":\"hr\",\"v\":60}] []").rejections());
    }

    @Test
    void utf16IsRejectedBecauseSenmlJsonIsUtf8Only() {
        byte[] utf16 = "[{\"n\":\"hr\",\"v\":60}]".getBytes(StandardCharsets.UTF_16LE);
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decoder.decode(utf16, NOW).rejections());
        byte[] withBom = "[{\"n\":\"hr\",\"v\":60}]".getBytes(StandardCharsets.UTF_16);
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decoder.decode(withBom, NOW).rejections());
    }

    @Test
    void invalidUtf8InAStringIsMalformed() {
        byte[] pack = TestPacks.hex("5b7b226e223a2268c3287d5d"); // [{"n":"h\xc3(}]
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decoder.decode(pack, NOW).rejections());
    }

    @Test
    void nestingBeyondTheLimitIsMalformedWithoutReadingFurther() {
        String deep = "[{\"n\":\"hr\",\"v\":1,\"x\":" + "[".repeat(50) + "]".repeat(50) + "}]";
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(deep).rejections());
    }

    @Test
    void versionBeyondTheLongRangeIsUnsupported() {
        SenmlResult r = decode("[{\"bver\":123456789012345678901234567890,\"n\":\"hr\",\"v\":60}]");
        assertEquals(List.of(new SenmlResult.RecordRejection(0, RejectionReason.UNSUPPORTED_VERSION, 1)), r.rejections());
    }

    @Test
    void payloadOverTheLimitIsRejectedBeforeParsing() {
        SenmlJsonDecoder small = new SenmlJsonDecoder(10, 1000);
        SenmlResult r = small.decode("[{\"n\":\"heart_rate\",\"v\":61}]".getBytes(StandardCharsets.UTF_8), NOW);
        assertEquals(List.of(wholePack(RejectionReason.PAYLOAD_TOO_LARGE)), r.rejections());
    }

    @Test
    void packOverTheRecordLimitIsRejectedWholeWithItsRecordCount() {
        SenmlJsonDecoder two = new SenmlJsonDecoder(65_536, 2);
        SenmlResult r = two.decode("[{\"n\":\"a\",\"v\":1},{\"n\":\"a\",\"v\":1},{\"n\":\"a\",\"v\":1},7]"
                .getBytes(StandardCharsets.UTF_8), NOW);
        assertEquals(List.of(new SenmlResult.RecordRejection(-1, RejectionReason.TOO_MANY_RECORDS, 4)), r.rejections());
        assertTrue(r.records().isEmpty());
    }

    @Property(tries = 1000)
    void arbitraryBytesNeverThrow(@ForAll("payloads") byte[] payload) {
        SenmlResult r = decoder.decode(payload, NOW);
        assertNotNull(r);
        assertTrue(r.records().size() + r.rejections().size() >= 0);
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("[]{}\":,.-+0123456789eEbnvtusd_ \\").ofMaxLength(120)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> nested = Arbitraries.integers().between(1, 20_000)
                .map(depth -> ("[{\"n\":\"hr\",\"x\":" + "[".repeat(depth)).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> mutated = Combinators.combine(
                        Arbitraries.of(
                                "[{\"bn\":\"dev:\",\"bt\":1.78e9,\"bu\":\"/min\",\"bver\":10,\"n\":\"hr\",\"v\":60.5}]",
                                "[{\"n\":\"hr\",\"v\":1e308,\"s\":-1e-308,\"t\":-5,\"ut\":60,\"vd\":\"aGk\"}]"),
                        Arbitraries.integers().between(0, 200),
                        Arbitraries.bytes())
                .as((pack, at, b) -> {
                    byte[] bytes = pack.getBytes(StandardCharsets.UTF_8);
                    bytes[at % bytes.length] = b;
                    return bytes;
                });
        return Arbitraries.oneOf(random, jsonish, nested, mutated);
    }
}
