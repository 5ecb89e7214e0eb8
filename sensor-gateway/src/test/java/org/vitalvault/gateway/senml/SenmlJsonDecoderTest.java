package org.vitalvault.gateway.senml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SenmlJsonDecoderTest {

    private static final double NOW = 1_780_000_000d;
    private final SenmlJsonDecoder decoder = new SenmlJsonDecoder(65_536, 1000);

    private SenmlResult decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void rfc8428SingleDatapointResolvesWithReceiptTime() {
        SenmlResult r = decode("[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}]");
        assertEquals(List.of(new SenmlRecord("urn:dev:ow:10e2073a01080063", "Cel", 23.1, NOW)), r.records());
    }

    @Test
    void rfc8428MultipleDatapointsJoinBaseNameAndName() {
        SenmlResult r = decode("[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},"
                + "{\"n\":\"current\",\"u\":\"A\",\"v\":1.2}]");
        assertEquals(List.of(new SenmlRecord("urn:dev:ow:10e2073a01080063:voltage", "V", 120.1, NOW),
                new SenmlRecord("urn:dev:ow:10e2073a01080063:current", "A", 1.2, NOW)), r.records());
    }

    @Test
    void rfc8428MultipleMeasurementsApplyBaseTimeAndBaseUnit() {
        SenmlResult r = decode("[{\"bn\":\"urn:dev:ow:10e2073a0108006:\",\"bt\":1.276020076001e+09,\"bu\":\"A\","
                + "\"bver\":5,\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},"
                + "{\"n\":\"current\",\"t\":-5,\"v\":1.2},{\"n\":\"current\",\"t\":-4,\"v\":1.3}]");
        assertEquals(3, r.records().size());
        assertEquals(new SenmlRecord("urn:dev:ow:10e2073a0108006:current", "A", 1.2, 1.276020076001e9 - 5),
                r.records().get(1));
        assertEquals(1.276020076001e9 - 4, r.records().get(2).timeSeconds(), 1e-6);
    }

    @Test
    void baseValueIsAddedToEachValue() {
        SenmlResult r = decode("[{\"bn\":\"hr\",\"bv\":70,\"v\":2,\"bt\":1780000000},{\"t\":1,\"v\":-1},{\"t\":2}]");
        assertEquals(List.of(72d, 69d, 70d), r.records().stream().map(SenmlRecord::value).toList());
    }

    @Test
    void relativeTimeIsCountedFromReceipt() {
        SenmlResult r = decode("[{\"n\":\"heart_rate\",\"t\":-10,\"v\":60}]");
        assertEquals(NOW - 10, r.records().get(0).timeSeconds(), 1e-9);
    }

    @Test
    void stringValueIsRejectedAndTheGoodRecordKept() {
        SenmlResult r = decode("[{\"n\":\"heart_rate\",\"vs\":\"fast\"},{\"n\":\"heart_rate\",\"v\":61}]");
        assertEquals(1, r.records().size());
        assertEquals(List.of(new SenmlResult.RecordRejection(0, "no-numeric-value", 1)), r.rejections());
    }

    @Test
    void notJsonIsMalformed() {
        assertEquals("malformed", decode("{\"n\":").rejections().get(0).reason());
        assertEquals("malformed", decode("{\"n\":\"heart_rate\",\"v\":1}").rejections().get(0).reason());
    }

    @Test
    void payloadOverTheLimitIsRejectedBeforeParsing() {
        SenmlJsonDecoder small = new SenmlJsonDecoder(10, 1000);
        SenmlResult r = small.decode("[{\"n\":\"heart_rate\",\"v\":61}]".getBytes(StandardCharsets.UTF_8), NOW);
        assertEquals("payload-too-large", r.rejections().get(0).reason());
    }

    @Test
    void packOverTheRecordLimitIsRejectedWhole() {
        SenmlJsonDecoder two = new SenmlJsonDecoder(65_536, 2);
        SenmlResult r = two.decode("[{\"n\":\"a\",\"v\":1},{\"n\":\"a\",\"v\":1},{\"n\":\"a\",\"v\":1}]"
                .getBytes(StandardCharsets.UTF_8), NOW);
        assertEquals(new SenmlResult.RecordRejection(-1, "too-many-records", 3), r.rejections().get(0));
        assertTrue(r.records().isEmpty());
    }

    @Property(tries = 1000)
    void arbitraryBytesNeverThrow(@ForAll("payloads") byte[] payload) {
        SenmlResult r = decoder.decode(payload, NOW);
        assertTrue(r.records().size() + r.rejections().size() >= 0);
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> mutated = Arbitraries.strings().withChars("[]{}\":,.-0123456789ebnvtu ").ofMaxLength(120)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, mutated);
    }
}
