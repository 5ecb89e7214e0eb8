package org.vitalvault.gateway.ingest;

import java.util.Locale;
import org.vitalvault.cose.CoseMac0;
import org.vitalvault.cose.CoseRejection;
import org.vitalvault.cose.CoseVerification;
import org.vitalvault.senml.SenmlDecoder;
import org.vitalvault.senml.SenmlResult;
import org.vitalvault.wire.RejectionReason;

/**
 * Device authenticity, then SenML. A message is a COSE_Mac0 when its content type says
 * {@code application/cose} or it starts with CBOR tag 17; its MAC is checked with the device's key
 * and only the authenticated payload is decoded. A device marked mac-required has every other
 * message rejected ({@code mac-required}); a COSE_Mac0 from a device without a MAC key is
 * {@code mac-key-unknown}. The SenML inside a COSE_Mac0 is CBOR or JSON as the topic
 * suffix says, else as its first byte shows ('[' for JSON).
 */
public final class DevicePayloadDecoder implements PayloadDecoder {

    private static final int CBOR_TAG_17 = 0xD1;

    /** Room around the SenML for the COSE_Mac0 array, headers and tag. */
    private static final int COSE_ENVELOPE_BYTES = 1024;

    private final SenmlDecoder senml;
    private final int maxCoseBytes;

    public DevicePayloadDecoder(int maxPayloadBytes, int maxRecords) {
        this.senml = new SenmlDecoder(maxPayloadBytes, maxRecords);
        this.maxCoseBytes = maxPayloadBytes + COSE_ENVELOPE_BYTES;
    }

    @Override
    public SenmlResult decode(InboundMessage message, ReadingTopic topic, DeviceOwner device) {
        double received = message.receivedMillis() / 1000d;
        if (!isCose(message)) {
            if (device.macRequired()) {
                return SenmlResult.wholePackRejected(RejectionReason.MAC_REQUIRED, 1);
            }
            return senml.decode(message.contentType(), topic.format(), message.payload(), received);
        }
        if (device.macKey() == null || device.macKey().length < CoseMac0.MIN_KEY_BYTES) {
            return SenmlResult.wholePackRejected(RejectionReason.MAC_KEY_UNKNOWN, 1);
        }
        CoseVerification verification = CoseMac0.verify(message.payload(), device.macKey(), maxCoseBytes);
        if (verification instanceof CoseRejection rejection) {
            return SenmlResult.wholePackRejected(rejection.reason(), 1);
        }
        byte[] inner = ((CoseVerification.Verified) verification).payload();
        String format = topic.format() != null ? topic.format() : looksLikeJson(inner) ? "json" : "cbor";
        return senml.decode(null, format, inner, received);
    }

    private static boolean isCose(InboundMessage m) {
        String type = m.contentType();
        if (type != null && type.trim().toLowerCase(Locale.ROOT).startsWith("application/cose")) {
            return true;
        }
        return m.payload().length > 0 && (m.payload()[0] & 0xFF) == CBOR_TAG_17;
    }

    private static boolean looksLikeJson(byte[] payload) {
        for (byte b : payload) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            return b == '[';
        }
        return false;
    }
}
