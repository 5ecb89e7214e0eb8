package org.vitalvault.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.cose.CoseMac0;
import org.vitalvault.senml.SenmlCborEncoder;
import org.vitalvault.senml.SenmlRecord;
import org.vitalvault.senml.SenmlResult;
import org.vitalvault.wire.RejectionReason;
import org.vitalvault.wire.Topics;

class DevicePayloadDecoderTest {

    private static final long NOW = 1_780_000_000_000L;
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) i;
            OTHER_KEY[i] = (byte) (i + 1);
        }
    }

    private final DevicePayloadDecoder decoder = new DevicePayloadDecoder(65_536, 1000);
    private final UUID deviceId = UUID.randomUUID();
    private final ReadingTopic topic = new ReadingTopic(deviceId, null);
    private final byte[] json = "[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":70,\"t\":-1}]".getBytes(StandardCharsets.UTF_8);

    private DeviceOwner device(boolean macRequired) {
        return new DeviceOwner(UUID.randomUUID(), 1, new byte[32], KEY, macRequired);
    }

    private SenmlResult decode(String contentType, byte[] payload, DeviceOwner device) {
        return decoder.decode(new InboundMessage(Topics.readings(deviceId), contentType, payload, NOW, () -> { }), topic, device);
    }

    @Test
    void plainSenmlIsAcceptedFromADeviceThatNeedNotMac() {
        assertEquals(1, decode(null, json, device(false)).records().size());
    }

    @Test
    void plainSenmlFromAMacRequiredDeviceIsRejected() {
        SenmlResult r = decode(null, json, device(true));
        assertTrue(r.records().isEmpty());
        assertEquals(RejectionReason.MAC_REQUIRED, r.rejections().get(0).reason());
    }

    @Test
    void macedJsonIsAcceptedFromAMacRequiredDevice() {
        SenmlResult r = decode(null, CoseMac0.create(json, KEY), device(true));
        assertEquals(1, r.records().size());
    }

    @Test
    void macedCborIsDecodedAsCbor() {
        byte[] cbor = new SenmlCborEncoder().encode(List.of(new SenmlRecord("heart_rate", "beat/min", 71, NOW / 1000d)));
        SenmlResult r = decode("application/cose; cose-type=\"cose-mac0\"", CoseMac0.create(cbor, KEY), device(false));
        assertEquals(71, r.records().get(0).value());
    }

    @Test
    void aMacUnderAnotherKeyIsRejected() {
        SenmlResult r = decode(null, CoseMac0.create(json, OTHER_KEY), device(true));
        assertTrue(r.records().isEmpty());
        assertEquals(RejectionReason.MAC_INVALID, r.rejections().get(0).reason());
    }

    @Test
    void cborContentTypeSelectsTheCborDecoder() {
        byte[] cbor = new SenmlCborEncoder().encode(List.of(new SenmlRecord("spo2", "%", 97, NOW / 1000d)));
        assertEquals(97, decode("application/senml+cbor", cbor, device(false)).records().get(0).value());
    }
}
