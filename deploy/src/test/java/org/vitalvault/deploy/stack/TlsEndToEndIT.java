package org.vitalvault.deploy.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.deploy.TestFolders;
import org.vitalvault.deploy.broker.BrokerTls;
import org.vitalvault.deploy.tls.CertificateAuthority;
import org.vitalvault.deploy.tls.LocalTls;
import org.vitalvault.mqtt.NoDelayTlsSocketFactory;
import org.vitalvault.mqtt.TlsFiles;

/**
 * The local stack over TLS end to end (docs/decisions/034): client certificates required at the
 * embedded HiveMQ's TLS listener and the gateway reading over TLS too. An owner pairs a device
 * through the vault's HTTPS port; the device connects with the CA from its pairing response and a
 * client certificate of the local CA, publishes, and gets its receipt from the gateway. Without a
 * client certificate it is refused.
 */
class TlsEndToEndIT {

    private static LocalStack stack;
    private static VaultClient vault;
    private static String token;
    private static UUID ownerId;

    @BeforeAll
    static void startStack() throws Exception {
        Path repo = Path.of(System.getProperty("vitalvault.repo", "..")).toAbsolutePath().normalize();
        Path data = TestFolders.create("tls-e2e");
        stack = LocalStack.start(new LocalStack.Options(repo, data, Optional.empty(), "postgres", "", Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(),
                Map.of("vitalvault.gateway.mqtt.client-id", "tls-gateway-" + UUID.randomUUID()),
                new LocalStack.Tls(0, 0, BrokerTls.ClientAuth.REQUIRED, true, true), 0, 0));
        LocalTls tls = stack.localTls().orElseThrow();
        vault = new VaultClient(stack.vaultHttpsUrl(), trusting(tls.caPem()).clientContext());
        token = vault.devToken("tls-owner", "owner");
        ownerId = vault.registerOrFind(token);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            try {
                stack.close();
            } finally {
                TestFolders.delete(stack.dataDir());
            }
        }
    }

    @Test
    void theGatewayReadsOverTlsAndADeviceWithTheCaFromPairingAndItsCertificateGetsItsReceipt() throws Exception {
        assertTrue(stack.mqttUrl().startsWith("ssl://"), "the gateway's URL: " + stack.mqttUrl());
        JsonNode pairing = pair("tls chest strap");
        String url = pairing.get("mqttUrl").asText();
        assertEquals(stack.mqttTlsUrl(), url, "devices are told the TLS listener");
        Path ca = Files.writeString(stack.dataDir().resolve("device-ca.pem"), pairing.get("mqttCaPem").asText());
        String deviceId = pairing.get("id").asText();
        TlsFiles files = withCertificate(ca, deviceId);

        BlockingQueue<String> receipts = new LinkedBlockingQueue<>();
        MqttClient device = connect(url, pairing, files);
        try {
            device.setCallback(new Receipts(receipts));
            device.subscribe(pairing.get("receiptTopic").asText(), 1);
            long t = Instant.now().getEpochSecond() - 30;
            String payload = "[{\"bn\":\"urn:dev:uuid:" + deviceId + ":\",\"bt\":" + t
                    + ",\"bu\":\"beat/min\",\"n\":\"heart_rate\",\"v\":64}]";
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            device.publish(pairing.get("topic").asText(), m);
            String receipt = receipts.poll(90, TimeUnit.SECONDS);
            assertTrue(receipt != null && receipt.contains("\"stored\""), "receipt: " + receipt);
        } finally {
            device.disconnect();
            device.close();
        }
    }

    @Test
    void aDeviceWithoutAClientCertificateIsRefused() throws Exception {
        JsonNode pairing = pair("tls without certificate");
        Path ca = Files.writeString(stack.dataDir().resolve("device-ca-2.pem"), pairing.get("mqttCaPem").asText());
        assertThrows(MqttException.class, () -> connect(stack.mqttTlsUrl(), pairing, trusting(ca)));
    }

    @Test
    void theVaultAnswersOverHttpsWithTheLocalCa() throws Exception {
        VaultClient.Reply r = vault.send("GET", "/owners/me", token, null);
        assertEquals(200, r.status());
        assertEquals(ownerId.toString(), r.body().get("id").asText());
    }

    private static JsonNode pair(String name) throws Exception {
        VaultClient.Reply r = vault.send("POST", "/owners/" + ownerId + "/devices", token, Map.of("name", name));
        assertEquals(201, r.status(), () -> String.valueOf(r.body()));
        return r.body();
    }

    private static MqttClient connect(String url, JsonNode pairing, TlsFiles files) throws MqttException {
        MqttClient client = new MqttClient(url, pairing.get("clientId").asText(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(pairing.get("username").asText());
        o.setPassword(pairing.get("credential").asText().getBytes(StandardCharsets.UTF_8));
        o.setConnectionTimeout(30);
        o.setSocketFactory(new NoDelayTlsSocketFactory(files.clientContext()));
        o.setHttpsHostnameVerificationEnabled(true);
        try {
            client.connect(o);
            return client;
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    private static TlsFiles withCertificate(Path ca, String deviceId) throws Exception {
        CertificateAuthority.Issued cert = stack.localTls().orElseThrow().authority().issueClient(deviceId, Duration.ofDays(1));
        Path certFile = stack.dataDir().resolve(deviceId + ".pem");
        Path keyFile = stack.dataDir().resolve(deviceId + ".key");
        LocalTls.writePrivate(certFile, CertificateAuthority.pem(cert.certificate()));
        LocalTls.writePrivate(keyFile, CertificateAuthority.pem(cert.key()));
        return new TlsFiles("device", Optional.of(ca), Optional.of(certFile), Optional.of(keyFile));
    }

    private static TlsFiles trusting(Path ca) {
        return new TlsFiles("device", Optional.of(ca), Optional.empty(), Optional.empty());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private record Receipts(BlockingQueue<String> into) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            into.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties p) {
        }
    }
}
