package org.vitalvault.senml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.vitalvault.cbor.CborWriter;
import org.vitalvault.wire.RejectionReason;

/** What is specific to the CBOR encoding; resolution rules are in {@link SenmlResolverTest}. */
class SenmlCborDecoderTest {

    private static final double NOW = 1_780_000_000d;
    private final SenmlCborDecoder decoder = new SenmlCborDecoder(65_536, 1000);

    private SenmlResult decode(byte[] cbor) {
        return decoder.decode(cbor, NOW);
    }

    private SenmlResult decode(CborWriter cbor) {
        return decode(cbor.toByteArray());
    }

    private static SenmlResult.RecordRejection wholePack(RejectionReason reason) {
        return new SenmlResult.RecordRejection(-1, reason, 1);
    }

    private static List<RejectionReason> reasons(SenmlResult r) {
        return r.rejections().stream().map(SenmlResult.RecordRejection::reason).toList();
    }

    /** {@code [{0: "hr", 2: value, extraKey: <caller writes the value>}]}. */
    private static CborWriter heartRateWith(Object extraKey, double value) {
        CborWriter w = new CborWriter().writeArrayStart(1).writeMapStart(3)
                .writeInteger(0).writeText("hr")
                .writeInteger(2).writeNumber(value);
        if (extraKey instanceof String text) {
            w.writeText(text);
        } else {
            w.writeInteger((Integer) extraKey);
        }
        return w;
    }

    @Test
    void integerLabelsCarryTheSenmlFields() {
        SenmlResult r = decode(new CborWriter().writeArrayStart(1).writeMapStart(5)
                .writeInteger(-2).writeText("dev:")
                .writeInteger(-4).writeText("/min")
                .writeInteger(0).writeText("hr")
                .writeInteger(2).writeNumber(60.5)
                .writeInteger(6).writeNumber(-10));
        assertEquals(List.of(new SenmlRecord("dev:hr", "/min", 60.5, NOW - 10, 0)), r.records());
    }

    @Test
    void textLabelsAreExtensionsAndIgnored() {
        SenmlResult r = decode(heartRateWith("quality", 60).writeText("good"));
        assertEquals(1, r.records().size());
        assertTrue(r.rejections().isEmpty());
    }

    @Test
    void textLabelSpellingASenmlFieldIsMalformedRatherThanSilentlyIgnored() {
        // {-5: 70, 0: "hr", "v": 5}: ignoring "v" would store 70 instead of 75
        SenmlResult r = decode(new CborWriter().writeArrayStart(1).writeMapStart(3)
                .writeInteger(-5).writeNumber(70)
                .writeInteger(0).writeText("hr")
                .writeText("v").writeNumber(5));
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(r));
    }

    @Test
    void mustUnderstandTextLabelIsAnUnsupportedField() {
        assertEquals(List.of(RejectionReason.UNSUPPORTED_FIELD),
                reasons(decode(heartRateWith("calibrated_", 60).writeBoolean(true))));
    }

    @Test
    void mustUnderstandBaseTextLabelRejectsTheRecordsItWouldGovernAsUnsupported() {
        // [{0: "hr", 2: 59}, {"bscale_": 10, 0: "hr", 2: 60}, {0: "hr", 2: 61}]
        SenmlResult r = decode(new CborWriter().writeArrayStart(3)
                .writeMapStart(2).writeInteger(0).writeText("hr").writeInteger(2).writeNumber(59)
                .writeMapStart(3).writeText("bscale_").writeInteger(10)
                .writeInteger(0).writeText("hr").writeInteger(2).writeNumber(60)
                .writeMapStart(2).writeInteger(0).writeText("hr").writeInteger(2).writeNumber(61));
        assertEquals(1, r.records().size());
        assertEquals(List.of(RejectionReason.UNSUPPORTED_FIELD, RejectionReason.UNSUPPORTED_FIELD), reasons(r));
    }

    @Test
    void emptyPackIsRejectedWhole() {
        assertEquals(List.of(wholePack(RejectionReason.EMPTY_PACK)), decode(TestPacks.hex("80")).rejections());
        assertEquals(List.of(wholePack(RejectionReason.EMPTY_PACK)), decode(TestPacks.hex("9f ff")).rejections());
        assertEquals(List.of(wholePack(RejectionReason.EMPTY_PACK)), decode(TestPacks.hex("d9d9f7 80")).rejections());
    }

    @Test
    void unknownIntegerLabelsAreIgnored() {
        assertEquals(1, decode(heartRateWith(9, 60).writeText("x")).records().size());
        assertEquals(1, decode(heartRateWith(-7, 60).writeNumber(1)).records().size());
    }

    @Test
    void keysOfOtherTypesAreIgnored() {
        byte[] pack = TestPacks.hex("81 a5 00 62 6872 02 18 3c"   // [{0:"hr", 2:60,
                + " 41 00 01"                                        //   h'00': 1,
                + " 82 01 02 f5"                                     //   [1,2]: true,
                + " 1b ffffffffffffffff 00");                        //   2^64-1: 0}]
        SenmlResult r = decode(pack);
        assertEquals(List.of(new SenmlRecord("hr", null, 60, NOW, 0)), r.records());
    }

    @Test
    void halfSingleAndDoubleFloatsAndIntegersAreAllNumbers() {
        assertEquals(1.5, decode(TestPacks.hex("81 a2 00 62 6872 02 f9 3e00")).records().get(0).value());
        assertEquals(100000.0, decode(TestPacks.hex("81 a2 00 62 6872 02 fa 47c35000")).records().get(0).value());
        assertEquals(1.1, decode(TestPacks.hex("81 a2 00 62 6872 02 fb 3ff199999999999a")).records().get(0).value());
        assertEquals(-100, decode(TestPacks.hex("81 a2 00 62 6872 02 38 63")).records().get(0).value());
    }

    @Test
    void decimalFractionIsANumber() {
        // 4([-2, 12345]) = 123.45
        SenmlResult r = decode(TestPacks.hex("81 a2 00 62 6872 02 c4 82 21 19 3039"));
        assertEquals(123.45, r.records().get(0).value());
    }

    @Test
    void otherTaggedValuesAreNotNumbers() {
        // 1(1780000000): an epoch time tag is not a SenML number
        SenmlResult r = decode(TestPacks.hex("81 a2 00 62 6872 02 c1 1a 6a18b980"));
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(r));
    }

    @Test
    void versionMustBeAnUnsignedInteger() {
        assertEquals(List.of(RejectionReason.MALFORMED),
                reasons(decode(TestPacks.hex("81 a3 20 f9 4500 00 62 6872 02 01")))); // bver 5.0
        assertEquals(List.of(RejectionReason.UNSUPPORTED_VERSION),
                reasons(decode(TestPacks.hex("81 a3 20 0b 00 62 6872 02 01")))); // bver 11
        assertEquals(List.of(RejectionReason.UNSUPPORTED_VERSION),
                reasons(decode(TestPacks.hex("81 a3 20 1b ffffffffffffffff 00 62 6872 02 01"))));
    }

    @Test
    void dataValueMustBeAByteString() {
        assertEquals(List.of(RejectionReason.NO_NUMERIC_VALUE), reasons(decode(TestPacks.hex("81 a2 00 62 6872 08 42 6869"))));
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode(TestPacks.hex("81 a2 00 62 6872 08 62 6869"))));
    }

    @Test
    void notANumberValueIsMalformed() {
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode(TestPacks.hex("81 a2 00 62 6872 02 f9 7e00"))));
    }

    @Test
    void indefiniteLengthPackAndRecordsAreAccepted() {
        SenmlResult r = decode(TestPacks.hex("9f bf 00 62 6872 02 18 3c ff ff"));
        assertEquals(List.of(new SenmlRecord("hr", null, 60, NOW, 0)), r.records());
    }

    @Test
    void selfDescribedCborTagIsAcceptedAndOtherTagsAreNot() {
        assertEquals(1, decode(TestPacks.hex("d9 d9f7 81 a2 00 62 6872 02 01")).records().size());
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(TestPacks.hex("d1 81 a2 00 62 6872 02 01")).rejections());
    }

    @Test
    void packThatIsNotAnArrayIsMalformed() {
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(TestPacks.hex("a2 00 62 6872 02 01")).rejections());
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(new byte[0]).rejections());
    }

    @Test
    void bytesAfterThePackAreMalformed() {
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(TestPacks.hex("81 a2 00 62 6872 02 01 00")).rejections());
    }

    @Test
    void truncatedPackIsRejectedWhole() {
        SenmlResult r = decode(TestPacks.hex("82 a2 00 62 6872 02 01 a2 00 62 6872 02"));
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), r.rejections());
        assertTrue(r.records().isEmpty());
    }

    @Test
    void declaredCountLargerThanThePayloadIsMalformedNotAllocated() {
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(TestPacks.hex("9b ffffffffffffffff 00")).rejections());
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(TestPacks.hex("9a 7fffffff 00")).rejections());
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(TestPacks.hex("81 a1 00 7b 7fffffffffffffff")).rejections());
    }

    @Test
    void declaredRecordCountOverTheLimitIsRejectedWhole() {
        SenmlCborDecoder two = new SenmlCborDecoder(65_536, 2);
        SenmlResult r = two.decode(TestPacks.hex("83 a2 00 61 61 02 01 a2 00 61 61 02 01 a2 00 61 61 02 01"), NOW);
        assertEquals(List.of(new SenmlResult.RecordRejection(-1, RejectionReason.TOO_MANY_RECORDS, 3)), r.rejections());
    }

    @Test
    void indefinitePackOverTheLimitIsCountedAndRejectedWhole() {
        SenmlCborDecoder two = new SenmlCborDecoder(65_536, 2);
        SenmlResult r = two.decode(TestPacks.hex("9f a2 00 61 61 02 01 a2 00 61 61 02 01 a2 00 61 61 02 01 07 ff"), NOW);
        assertEquals(List.of(new SenmlResult.RecordRejection(-1, RejectionReason.TOO_MANY_RECORDS, 4)), r.rejections());
    }

    @Test
    void nestingBeyondTheLimitIsMalformed() {
        byte[] deep = TestPacks.hex("81 a3 00 62 6872 02 01 61 78" + "81".repeat(40) + "00");
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(deep).rejections());
    }

    @Test
    void packNested10000DeepIsRefusedWithoutExhaustingTheStack() {
        byte[] inRecord = TestPacks.hex("81 a3 00 62 6872 02 01 61 78" + "81".repeat(10_000) + "00");
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(inRecord).rejections());
        byte[] asRecord = TestPacks.hex("81" + "81".repeat(10_000) + "00");
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(asRecord).rejections());
        byte[] indefinite = TestPacks.hex("81" + "9f".repeat(10_000) + "00" + "ff".repeat(10_000));
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(indefinite).rejections());
    }

    @Test
    void recordWithMoreFieldsThanTheLimitIsMalformed() {
        CborWriter atLimit = new CborWriter().writeArrayStart(1).writeMapStart(SenmlCborDecoder.MAX_RECORD_FIELDS)
                .writeInteger(0).writeText("hr").writeInteger(2).writeNumber(60);
        CborWriter overLimit = new CborWriter().writeArrayStart(1).writeMapStart(SenmlCborDecoder.MAX_RECORD_FIELDS + 1)
                .writeInteger(0).writeText("hr").writeInteger(2).writeNumber(60);
        for (int i = 2; i < SenmlCborDecoder.MAX_RECORD_FIELDS; i++) {
            atLimit.writeInteger(100 + i).writeInteger(0); // unknown integer labels: ignored
            overLimit.writeInteger(100 + i).writeInteger(0);
        }
        overLimit.writeInteger(99).writeInteger(0);
        assertEquals(1, decode(atLimit).records().size());
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(overLimit).rejections());
    }

    @Test
    void indefiniteRecordIsCountedAgainstTheFieldLimit() {
        StringBuilder fields = new StringBuilder("81 bf 00 62 6872 02 01");
        for (int i = 0; i < SenmlCborDecoder.MAX_RECORD_FIELDS; i++) {
            fields.append(" 18 64 00"); // label 100 again and again: cheap, and still past the limit
        }
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(TestPacks.hex(fields + " ff")).rejections());
    }

    @Test
    void textLongerThanTheLimitIsMalformed() {
        String longName = "h".repeat(SenmlCborDecoder.MAX_TEXT_BYTES + 1);
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(new CborWriter().writeArrayStart(1)
                .writeMapStart(2).writeInteger(0).writeText(longName).writeInteger(2).writeNumber(60)).rejections());
    }

    @Test
    void invalidUtf8InANameIsMalformed() {
        assertEquals(List.of(wholePack(RejectionReason.MALFORMED)), decode(TestPacks.hex("81 a2 00 62 c328 02 01")).rejections());
    }

    @Test
    void payloadOverTheLimitIsRejectedBeforeParsing() {
        SenmlResult r = new SenmlCborDecoder(4, 1000).decode(TestPacks.hex("81 a2 00 62 6872 02 01"), NOW);
        assertEquals(List.of(wholePack(RejectionReason.PAYLOAD_TOO_LARGE)), r.rejections());
    }

    @Property(tries = 1000)
    void arbitraryBytesNeverThrow(@ForAll("payloads") byte[] payload) {
        assertNotNull(decoder.decode(payload, NOW));
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        byte[] valid = new SenmlCborEncoder().encode(List.of(
                new SenmlRecord("urn:dev:ow:1:heart_rate", "/min", 61.5, 1.78e9),
                new SenmlRecord("urn:dev:ow:1:spo2", "%", 97, 1.78e9 + 1)));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
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
                        Arbitraries.of((byte) 0x81, (byte) 0x9f, (byte) 0xa1, (byte) 0xbf, (byte) 0xc4, (byte) 0xd8))
                .as((depth, head) -> {
                    byte[] bytes = new byte[depth + 2];
                    bytes[0] = (byte) 0x81;
                    Arrays.fill(bytes, 1, depth + 1, head);
                    return bytes;
                });
        Arbitrary<byte[]> hugeLengths = Combinators.combine(
                        Arbitraries.of("5b", "7b", "9b", "bb", "5a", "7a", "9a", "ba", "db", "1b", "3b"),
                        Arbitraries.of("81 a1 00 ", "81 a1 02 ", "81 a1 ", "", "9f ", "81 bf 61 78 "),
                        Arbitraries.of("ffffffffffffffff", "7fffffffffffffff", "00000000ffffffff", "0000000100000000"))
                .as((head, prefix, length) -> TestPacks.hex(prefix + head + (head.endsWith("a") ? length.substring(8) : length)));
        return Arbitraries.oneOf(random, mutated, nested, hugeLengths);
    }
}
