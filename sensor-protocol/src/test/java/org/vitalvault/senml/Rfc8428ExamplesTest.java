package org.vitalvault.senml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitalvault.cbor.CborWriter;
import org.vitalvault.wire.RejectionReason;

/** Every complete SenML example of RFC 8428 (§5.1.1 to §5.1.7 and §6), as published. */
class Rfc8428ExamplesTest {

    private static final double NOW = 1_780_000_000d;
    private static final double BT_5_1_2 = 1.276020076001e9;

    private final SenmlJsonDecoder json = new SenmlJsonDecoder(65_536, 1000);
    private final SenmlCborDecoder cbor = new SenmlCborDecoder(65_536, 1000);

    private SenmlResult decodeJson(String resource) {
        return json.decode(TestPacks.resource(resource), NOW);
    }

    @Test
    void singleDataPointOfSection511IsTakenAtReceipt() {
        assertEquals(List.of(new SenmlRecord("urn:dev:ow:10e2073a01080063", "Cel", 23.1, NOW, 0)),
                decodeJson("rfc8428-5.1.1-single-data-point.json").records());
    }

    @Test
    void multipleDataPointsOfSection512JoinBaseNameAndName() {
        SenmlResult r = decodeJson("rfc8428-5.1.2-multiple-data-points.json");
        assertEquals(List.of(new SenmlRecord("urn:dev:ow:10e2073a01080063:voltage", "V", 120.1, NOW, 0),
                new SenmlRecord("urn:dev:ow:10e2073a01080063:current", "A", 1.2, NOW, 1)), r.records());
        assertTrue(r.rejections().isEmpty());
    }

    @Test
    void timedDataPointsOfSection512ApplyBaseTimeBaseUnitAndVersion() {
        SenmlResult r = decodeJson("rfc8428-5.1.2-multiple-data-points-with-time.json");
        String current = "urn:dev:ow:10e2073a0108006:current";
        assertEquals(List.of(
                new SenmlRecord("urn:dev:ow:10e2073a0108006:voltage", "V", 120.1, BT_5_1_2, 0),
                new SenmlRecord(current, "A", 1.2, BT_5_1_2 + -5, 1),
                new SenmlRecord(current, "A", 1.3, BT_5_1_2 + -4, 2),
                new SenmlRecord(current, "A", 1.4, BT_5_1_2 + -3, 3),
                new SenmlRecord(current, "A", 1.5, BT_5_1_2 + -2, 4),
                new SenmlRecord(current, "A", 1.6, BT_5_1_2 + -1, 5),
                new SenmlRecord(current, "A", 1.7, BT_5_1_2, 6)), r.records());
        assertTrue(r.rejections().isEmpty());
    }

    @Test
    void multipleMeasurementsOfSection513ResolveToTheResolvedDataOfSection514() {
        SenmlResult packed = decodeJson("rfc8428-5.1.3-multiple-measurements.json");
        SenmlResult resolved = decodeJson("rfc8428-5.1.4-resolved-data.json");
        assertEquals(13, packed.records().size());
        assertTrue(packed.rejections().isEmpty());
        assertEquals(resolved, packed);
        assertEquals(new SenmlRecord("urn:dev:ow:10e2073a01080063", "%EL", 98, 1.320067614e9, 9),
                packed.records().get(9));
    }

    @Test
    void multipleDataTypesOfSection515KeepTheNumberAndRejectStringBooleanAndData() {
        SenmlResult r = decodeJson("rfc8428-5.1.5-multiple-data-types.json");
        assertEquals(List.of(new SenmlRecord("urn:dev:ow:10e2073a01080063:temp", "Cel", 23.1, NOW, 0)), r.records());
        assertEquals(List.of(new SenmlResult.RecordRejection(1, RejectionReason.NO_NUMERIC_VALUE, 1),
                new SenmlResult.RecordRejection(2, RejectionReason.NO_NUMERIC_VALUE, 1),
                new SenmlResult.RecordRejection(3, RejectionReason.NO_NUMERIC_VALUE, 1)), r.rejections());
    }

    @Test
    void collectionOfResourcesOfSection516ReplacesBaseNameButKeepsBaseTime() {
        double bt = 1.320078429e9;
        assertEquals(List.of(new SenmlRecord("2001:db8::2/temperature", "Cel", 25.2, bt, 0),
                new SenmlRecord("2001:db8::2/humidity", "%RH", 30, bt, 1),
                new SenmlRecord("2001:db8::1/temperature", "Cel", 12.3, bt, 2),
                new SenmlRecord("2001:db8::1/humidity", "%RH", 67, bt, 3)),
                decodeJson("rfc8428-5.1.6-collection-of-resources.json").records());
    }

    @Test
    void actuatorPackOfSection517SetsTheBaseNameFromARecordWithoutValue() {
        SenmlResult r = decodeJson("rfc8428-5.1.7-setting-an-actuator.json");
        assertEquals(List.of(new SenmlResult.RecordRejection(0, RejectionReason.NO_NUMERIC_VALUE, 1)), r.rejections());
        assertEquals(List.of(new SenmlRecord("urn:dev:ow:10e2073a01080063:temp", "Cel", 23.1, NOW, 1),
                new SenmlRecord("urn:dev:ow:10e2073a01080063:heat", "/", 1, NOW, 2),
                new SenmlRecord("urn:dev:ow:10e2073a01080063:fan", "/", 0, NOW, 3)), r.records());
    }

    @Test
    void cborExampleOfSection6DecodesLikeItsJsonOriginal() {
        byte[] published = TestPacks.hexDumpResource("rfc8428-6-cbor-example.hex");
        assertEquals(0xc3, published.length);
        SenmlResult fromCbor = cbor.decode(published, NOW);
        assertEquals(decodeJson("rfc8428-5.1.2-multiple-data-points-with-time.json"), fromCbor);
        assertEquals(7, fromCbor.records().size());
    }

    @Test
    void cborWriterReproducesTheSection6ExampleByteForByte() {
        CborWriter w = new CborWriter().writeArrayStart(7);
        w.writeMapStart(7)
                .writeInteger(-2).writeText("urn:dev:ow:10e2073a0108006:")
                .writeInteger(-3).writeNumber(1276020076.001)
                .writeInteger(-4).writeText("A")
                .writeInteger(-1).writeNumber(5)
                .writeInteger(0).writeText("voltage")
                .writeInteger(1).writeText("V")
                .writeInteger(2).writeNumber(120.1);
        double[] values = {1.2, 1.3, 1.4, 1.5, 1.6, 1.7};
        for (int i = 0; i < values.length; i++) {
            w.writeMapStart(3).writeInteger(0).writeText("current")
                    .writeInteger(6).writeNumber(i - 5)
                    .writeInteger(2).writeNumber(values[i]);
        }
        assertArrayEquals(TestPacks.hexDumpResource("rfc8428-6-cbor-example.hex"), w.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "rfc8428-5.1.1-single-data-point.json",
        "rfc8428-5.1.2-multiple-data-points.json",
        "rfc8428-5.1.2-multiple-data-points-with-time.json",
        "rfc8428-5.1.3-multiple-measurements.json",
        "rfc8428-5.1.4-resolved-data.json",
        "rfc8428-5.1.5-multiple-data-types.json",
        "rfc8428-5.1.6-collection-of-resources.json",
        "rfc8428-5.1.7-setting-an-actuator.json"})
    void everyJsonExampleResolvesIdenticallyWhenSentAsCbor(String resource) {
        byte[] jsonPack = TestPacks.resource(resource);
        assertEquals(json.decode(jsonPack, NOW), cbor.decode(TestPacks.jsonToCbor(jsonPack), NOW));
    }
}
