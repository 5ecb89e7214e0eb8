package org.vitalvault.senml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitalvault.wire.RejectionReason;

/**
 * The resolution rules and acceptance policy shared by both encodings, written in JSON for
 * readability (the property tests show CBOR resolves every pack the same way).
 */
class SenmlResolverTest {

    private static final double NOW = 1_780_000_000d;
    private static final double T0 = 1_780_000_100d;
    private final SenmlJsonDecoder decoder = new SenmlJsonDecoder(65_536, 1000);

    private SenmlResult decode(String json) {
        return decoder.decode(TestPacks.utf8(json), NOW);
    }

    private static List<RejectionReason> reasons(SenmlResult r) {
        return r.rejections().stream().map(SenmlResult.RecordRejection::reason).toList();
    }

    private static List<Double> values(SenmlResult r) {
        return r.records().stream().map(SenmlRecord::value).toList();
    }

    @Test
    void nameIsOptionalWhenTheBaseNameNamesTheSensor() {
        assertEquals("dev:heart_rate", decode("[{\"bn\":\"dev:heart_rate\",\"v\":60}]").records().get(0).name());
    }

    @Test
    void recordWithoutNameOrBaseNameIsMalformed() {
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"v\":60}]")));
    }

    @Test
    void unitOverridesBaseUnitAndOtherwiseInheritsIt() {
        SenmlResult r = decode("[{\"bu\":\"/min\",\"n\":\"hr\",\"v\":60},{\"n\":\"t\",\"u\":\"Cel\",\"v\":37}]");
        assertEquals(List.of("/min", "Cel"), r.records().stream().map(SenmlRecord::unit).toList());
    }

    @Test
    void recordWithNeitherUnitNorBaseUnitHasNoUnit() {
        assertEquals(null, decode("[{\"n\":\"hr\",\"v\":60}]").records().get(0).unit());
    }

    @Test
    void baseValueAloneIsTheValueOfARecordWithoutValueFields() {
        assertEquals(List.of(71d, 70d), values(decode("[{\"bn\":\"hr\",\"bv\":70,\"v\":1},{}]")));
    }

    @Test
    void sumWithoutValueIsNotAnInstantaneousValueEvenUnderABaseValue() {
        SenmlResult r = decode("[{\"bn\":\"steps\",\"bv\":10,\"s\":1200},{\"n\":\"x\",\"s\":5}]");
        assertEquals(List.of(RejectionReason.NO_NUMERIC_VALUE, RejectionReason.NO_NUMERIC_VALUE), reasons(r));
        assertTrue(r.records().isEmpty());
    }

    @Test
    void baseSumAloneDoesNotTurnARecordIntoASum() {
        assertEquals(List.of(70d), values(decode("[{\"bn\":\"hr\",\"bs\":100,\"bv\":70}]")));
    }

    @Test
    void valueWinsOverAnAccompanyingSum() {
        assertEquals(List.of(80d), values(decode("[{\"n\":\"hr\",\"v\":80,\"s\":4000}]")));
    }

    @Test
    void stringBooleanAndDataValuesHaveNoNumericValueEvenUnderABaseValue() {
        SenmlResult r = decode("[{\"bn\":\"x\",\"bv\":1,\"vs\":\"a\"},{\"vb\":true},{\"vd\":\"aGk\"}]");
        assertEquals(List.of(RejectionReason.NO_NUMERIC_VALUE, RejectionReason.NO_NUMERIC_VALUE,
                RejectionReason.NO_NUMERIC_VALUE), reasons(r));
    }

    @Test
    void twoValueFieldsInOneRecordAreMalformed() {
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"n\":\"hr\",\"v\":60,\"vs\":\"60\"}]")));
    }

    @Test
    void missingTimeMeansReceipt() {
        assertEquals(NOW, decode("[{\"n\":\"hr\",\"v\":60}]").records().get(0).timeSeconds());
    }

    @Test
    void timeBelowTwoToThe28IsCountedFromReceipt() {
        assertEquals(NOW - 10, decode("[{\"n\":\"hr\",\"t\":-10,\"v\":60}]").records().get(0).timeSeconds());
    }

    @Test
    void baseTimePlusTimeBelowTwoToThe28IsStillRelative() {
        assertEquals(NOW + 5, decode("[{\"bt\":-10,\"n\":\"hr\",\"t\":15,\"v\":60}]").records().get(0).timeSeconds());
    }

    @Test
    void timeFromTwoToThe28OnIsAbsolute() {
        assertEquals(268_435_456d, decode("[{\"n\":\"hr\",\"t\":268435456,\"v\":60}]").records().get(0).timeSeconds());
        assertEquals(T0 + 3, decode("[{\"bt\":" + T0 + ",\"n\":\"hr\",\"t\":3,\"v\":60}]").records().get(0).timeSeconds());
    }

    @Test
    void negativeZeroValueSurvivesWithoutBaseValue() {
        double value = decode("[{\"n\":\"x\",\"v\":-0.0}]").records().get(0).value();
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(value));
    }

    @Test
    void versionTenOrBelowIsAccepted() {
        assertEquals(2, decode("[{\"bver\":10,\"n\":\"hr\",\"v\":60},{\"bver\":5,\"n\":\"hr\",\"v\":61}]").records().size());
    }

    @Test
    void versionAboveTenRejectsItsRecordAndEveryLaterOne() {
        SenmlResult r = decode("[{\"n\":\"hr\",\"v\":60},{\"bver\":11,\"n\":\"hr\",\"v\":61},{\"n\":\"hr\",\"v\":62}]");
        assertEquals(List.of(60d), values(r));
        assertEquals(List.of(new SenmlResult.RecordRejection(1, RejectionReason.UNSUPPORTED_VERSION, 1),
                new SenmlResult.RecordRejection(2, RejectionReason.UNSUPPORTED_VERSION, 1)), r.rejections());
    }

    @Test
    void aLaterRecordCannotLowerTheVersionBackToASupportedOne() {
        SenmlResult r = decode("[{\"bver\":12,\"n\":\"hr\",\"v\":60},{\"bver\":10,\"n\":\"hr\",\"v\":61}]");
        assertEquals(List.of(RejectionReason.UNSUPPORTED_VERSION, RejectionReason.UNSUPPORTED_VERSION), reasons(r));
    }

    @Test
    void versionThatIsNotAPositiveIntegerIsMalformed() {
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"bver\":0,\"n\":\"hr\",\"v\":60}]")));
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"bver\":5.5,\"n\":\"hr\",\"v\":60}]")));
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"bver\":\"5\",\"n\":\"hr\",\"v\":60}]")));
    }

    @Test
    void baseFieldsOfARejectedRecordStillApplyToLaterRecords() {
        SenmlResult r = decode("[{\"bn\":\"dev:\",\"bu\":\"/min\",\"bt\":" + T0 + ",\"vs\":\"label\"},{\"n\":\"hr\",\"v\":60}]");
        assertEquals(List.of(new SenmlRecord("dev:hr", "/min", 60, T0, 1)), r.records());
    }

    @Test
    void unreadableBaseFieldRejectsItsRecordAndAllLaterOnesRatherThanGuessTheirName() {
        SenmlResult r = decode("[{\"bn\":\"a:\",\"n\":\"hr\",\"v\":1},{\"bn\":7,\"n\":\"hr\",\"v\":2},{\"n\":\"hr\",\"v\":3}]");
        assertEquals(List.of(1d), values(r));
        assertEquals(List.of(RejectionReason.MALFORMED, RejectionReason.MALFORMED), reasons(r));
    }

    @Test
    void wrongTypeOfARegularFieldRejectsOnlyItsRecord() {
        SenmlResult r = decode("[{\"n\":\"hr\",\"v\":\"70\"},{\"n\":\"hr\",\"u\":5,\"v\":71},{\"n\":\"hr\",\"v\":72}]");
        assertEquals(List.of(new SenmlRecord("hr", null, 72, NOW, 2)), r.records());
        assertEquals(List.of(RejectionReason.MALFORMED, RejectionReason.MALFORMED), reasons(r));
    }

    @Test
    void repeatedLabelMakesTheRecordAmbiguousHenceMalformed() {
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"n\":\"hr\",\"v\":60,\"v\":180}]")));
    }

    @Test
    void mustUnderstandFieldRejectsItsRecordAsUnsupportedAndKeepsTheOthers() {
        SenmlResult r = decode("[{\"n\":\"hr\",\"v\":60,\"calibrated_\":true},{\"n\":\"hr\",\"v\":61}]");
        assertEquals(List.of(new SenmlRecord("hr", null, 61, NOW, 1)), r.records());
        assertEquals(List.of(new SenmlResult.RecordRejection(0, RejectionReason.UNSUPPORTED_FIELD, 1)), r.rejections());
    }

    @Test
    void mustUnderstandBaseFieldAlsoRejectsTheRecordsItWouldGovern() {
        SenmlResult r = decode("[{\"n\":\"hr\",\"v\":59},{\"bscale_\":10,\"n\":\"hr\",\"v\":60},{\"n\":\"hr\",\"v\":61}]");
        assertEquals(List.of(59d), values(r));
        assertEquals(List.of(RejectionReason.UNSUPPORTED_FIELD, RejectionReason.UNSUPPORTED_FIELD), reasons(r));
    }

    @Test
    void wrongTypeOutranksAnUnsupportedFieldInTheSameRecord() {
        // Broken and unknown at once: the record is not well formed, whatever the extension means.
        assertEquals(List.of(RejectionReason.MALFORMED),
                reasons(decode("[{\"n\":\"hr\",\"v\":\"60\",\"calibrated_\":true}]")));
    }

    @Test
    void unknownExtensionFieldsAreIgnored() {
        SenmlResult r = decode("[{\"n\":\"hr\",\"v\":60,\"quality\":{\"a\":[1,2]},\"ut\":60}]");
        assertEquals(List.of(60d), values(r));
        assertTrue(r.rejections().isEmpty());
    }

    @Test
    void nameOutsideTheRfcCharacterSetIsMalformed() {
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"n\":\"heart rate\",\"v\":60}]")));
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"n\":\"-hr\",\"v\":60}]")));
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"n\":\"h\\u00e9\",\"v\":60}]")));
        assertFalse(SenmlResolver.isValidName(""));
        assertTrue(SenmlResolver.isValidName("urn:dev:ow:10e2073a01080063/a.b-c_d"));
    }

    @Test
    void resolvedValueThatOverflowsIsMalformed() {
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"bv\":1e308,\"n\":\"x\",\"v\":1e308}]")));
        assertEquals(List.of(RejectionReason.MALFORMED), reasons(decode("[{\"n\":\"x\",\"v\":1e999}]")));
    }

    @Test
    void elementThatIsNotARecordIsMalformedAndTheOthersKept() {
        SenmlResult r = decode("[7,{\"n\":\"hr\",\"v\":60},[],\"x\",null]");
        assertEquals(List.of(new SenmlRecord("hr", null, 60, NOW, 1)), r.records());
        assertEquals(List.of(0, 2, 3, 4), r.rejections().stream().map(SenmlResult.RecordRejection::index).toList());
    }

    @Test
    void acceptedRecordsCarryTheirPositionInThePack() {
        SenmlResult r = decode("[{\"n\":\"a\",\"vs\":\"x\"},{\"n\":\"hr\",\"v\":60},{\"n\":\"hr\",\"v\":61}]");
        assertEquals(List.of(1, 2), r.records().stream().map(SenmlRecord::index).toList());
    }
}
