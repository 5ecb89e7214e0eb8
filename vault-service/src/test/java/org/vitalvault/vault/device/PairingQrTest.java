package org.vitalvault.vault.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pairing QR code decodes to exactly the pairing's settings (decision 048). */
class PairingQrTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREDENTIAL = DeviceCredential.generate().secret();
    private static final UUID DEVICE = UUID.randomUUID();

    private static PairingQr.Qr qr(String caPem) {
        return PairingQr.of(DEVICE, CREDENTIAL, "ssl://vault.example:8883", "readings/" + DEVICE, "receipts/" + DEVICE,
                "bWFjLWtleQ", true, caPem);
    }

    @Test
    void theCodeDecodesToTheCredentialAndMqttSettings() throws Exception {
        PairingQr.Qr qr = qr(null);
        String text = QrImages.decode(qr.svg());
        assertEquals(qr.content(), text);
        JsonNode json = JSON.readTree(text);
        assertEquals(1, json.get("v").asInt());
        assertEquals(DEVICE.toString(), json.get("deviceId").asText());
        assertEquals(CREDENTIAL, json.get("credential").asText());
        assertEquals("ssl://vault.example:8883", json.get("mqttUrl").asText());
        assertEquals("readings/" + DEVICE, json.get("topic").asText());
        assertEquals("receipts/" + DEVICE, json.get("receiptTopic").asText());
        assertTrue(json.get("macRequired").asBoolean());
        assertFalse(json.has("caPem"));
        assertFalse(json.has("caPemOmitted"), "no CA configured: nothing omitted");
    }

    @Test
    void aSmallCaCertificateIsInTheCodeWithItsLineBreaks() throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n" + "MIIBd".repeat(80) + "\n-----END CERTIFICATE-----\n";
        PairingQr.Qr qr = qr(pem);
        assertTrue(qr.includesCaPem());
        assertEquals(pem, JSON.readTree(QrImages.decode(qr.svg())).get("caPem").asText());
    }

    @Test
    void aCaCertificateTooLargeToScanIsLeftOutAndTheCodeSaysSo() throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n" + "MIIDd".repeat(400) + "\n-----END CERTIFICATE-----\n";
        PairingQr.Qr qr = qr(pem);
        assertFalse(qr.includesCaPem());
        JsonNode json = JSON.readTree(QrImages.decode(qr.svg()));
        assertFalse(json.has("caPem"));
        assertTrue(json.get("caPemOmitted").asBoolean());
        assertEquals(CREDENTIAL, json.get("credential").asText());
    }

    @Test
    void theSvgIsPlainMarkupWithNoScriptAndNoExternalReference() {
        String svg = qr(null).svg();
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertFalse(svg.contains("<script"));
        assertFalse(svg.contains("href"));
        assertTrue(svg.length() < 20_000, "a few kilobytes: " + svg.length());
    }
}
