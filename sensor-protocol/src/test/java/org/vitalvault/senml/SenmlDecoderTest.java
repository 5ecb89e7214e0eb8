package org.vitalvault.senml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitalvault.wire.RejectionReason;

class SenmlDecoderTest {

    private static final double NOW = 1_780_000_000d;
    private static final List<SenmlRecord> HEART_RATE = List.of(new SenmlRecord("dev:heart_rate", "/min", 61, 1.78e9));
    private static final byte[] JSON_PACK = new SenmlJsonEncoder().encode(HEART_RATE);
    private static final byte[] CBOR_PACK = new SenmlCborEncoder().encode(HEART_RATE);
    private static final SenmlResult MALFORMED = SenmlResult.wholePackRejected(RejectionReason.MALFORMED, 1);

    private final SenmlDecoder decoder = new SenmlDecoder(65_536, 1000);

    @ParameterizedTest
    @ValueSource(strings = {"application/senml+json", "application/json", "Application/SenML+JSON",
        "application/senml+json; charset=utf-8", " application/json "})
    void jsonContentTypesSelectTheJsonDecoder(String contentType) {
        assertEquals(HEART_RATE, decoder.decode(contentType, "cbor", JSON_PACK, NOW).records());
        assertEquals(MALFORMED, decoder.decode(contentType, null, CBOR_PACK, NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/senml+cbor", "application/cbor", "APPLICATION/SENML+CBOR"})
    void cborContentTypesSelectTheCborDecoder(String contentType) {
        assertEquals(HEART_RATE, decoder.decode(contentType, "json", CBOR_PACK, NOW).records());
        assertEquals(MALFORMED, decoder.decode(contentType, null, JSON_PACK, NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/senml+xml", "application/senml-exi", "application/sensml+json", "text/plain",
        "application/octet-stream", ";"})
    void otherContentTypesRejectTheWholePackUnparsed(String contentType) {
        assertEquals(SenmlResult.wholePackRejected(RejectionReason.UNSUPPORTED_CONTENT_TYPE, 1),
                decoder.decode(contentType, "json", JSON_PACK, NOW));
    }

    @Test
    void withoutContentTypeTheTopicSuffixCborSelectsCbor() {
        assertEquals(HEART_RATE, decoder.decode(null, "cbor", CBOR_PACK, NOW).records());
        assertEquals(HEART_RATE, decoder.decode("", "CBOR", CBOR_PACK, NOW).records());
    }

    @Test
    void withoutContentTypeTheTopicSuffixJsonSelectsJson() {
        assertEquals(HEART_RATE, decoder.decode(null, "json", JSON_PACK, NOW).records());
    }

    @Test
    void withNeitherContentTypeNorKnownSuffixJsonIsAssumed() {
        assertEquals(HEART_RATE, decoder.decode(null, null, JSON_PACK, NOW).records());
        assertEquals(HEART_RATE, decoder.decode(" ", "3f2c0a4e-device", JSON_PACK, NOW).records());
        assertEquals(MALFORMED, decoder.decode(null, null, CBOR_PACK, NOW));
    }

    @Test
    void limitsApplyToBothEncodings() {
        SenmlDecoder tiny = new SenmlDecoder(8, 1000);
        SenmlResult tooLarge = SenmlResult.wholePackRejected(RejectionReason.PAYLOAD_TOO_LARGE, 1);
        assertEquals(tooLarge, tiny.decode(SenmlDecoder.SENML_JSON, null, JSON_PACK, NOW));
        assertEquals(tooLarge, tiny.decode(SenmlDecoder.SENML_CBOR, null, CBOR_PACK, NOW));
    }
}
