package org.vitalvault.deploy.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes HiveMQ's {@code conf/config.xml}. HiveMQ CE needs the file even when embedded, and these
 * values are the ones the vault depends on:
 *
 * <ul>
 *   <li>a plaintext TCP listener on {@code 127.0.0.1} only (or none): on loopback nothing travels
 *       over a network, and the gateway and local tools keep their cheapest path; and, when given, a
 *       TLS listener ({@link BrokerTls}, 8883 on all interfaces in the local stack) for devices,
 *       optionally requiring client certificates (docs/decisions/034);</li>
 *   <li>{@code persistence/mode=file}: sessions, subscriptions and queued QoS 1 messages survive a
 *       broker restart, so an acknowledged PUBLISH waiting for the gateway is not lost. Limit:
 *       HiveMQ CE does not sync that store per message (its internal Xodus settings have durable
 *       writes off and a 1 s sync period), so a power cut may lose the last second of queued
 *       messages; a device must trust the vault's receipt, sent after the database commit, not
 *       the broker's PUBACK;</li>
 *   <li>{@code max-queue-size} {@value #MAX_QUEUED_MESSAGES} per client (and per shared group),
 *       strategy {@code discard}: when full, the newest message is dropped, and its device, which
 *       never gets a receipt for it, sends it again; the queued older ones stay;</li>
 *   <li>session expiry at most {@value #MAX_SESSION_EXPIRY_SECONDS} s (7 days): long enough that a
 *       gateway down over a long weekend keeps its queued readings, short enough that an abandoned
 *       session is eventually freed;</li>
 *   <li>server Receive Maximum {@value #SERVER_RECEIVE_MAXIMUM} (HiveMQ's default is 10): how many
 *       QoS 1 PUBLISHes one client may have unacknowledged towards the broker; 10 throttles a load
 *       simulator and the gateway's receipts to one window per round trip;</li>
 *   <li>maximum packet size {@value #MAX_PACKET_BYTES} bytes (HiveMQ's default is 256 MB): the
 *       gateway's 64 KiB payload limit plus room for a COSE_Mac0 envelope, the topic and MQTT
 *       properties. HiveMQ reads the length from a packet's fixed header and disconnects a client
 *       whose packet is larger with DISCONNECT {@code 0x95 PACKET_TOO_LARGE} before reading its body,
 *       so an oversize publish never occupies the broker's (or the gateway's) memory; the limit is
 *       also announced in CONNACK, so MQTT 5 clients refuse to send such a packet at all
 *       (docs/decisions/033);</li>
 *   <li>anonymous usage statistics off: the vault does not report to third parties.</li>
 * </ul>
 */
final class BrokerConfigFile {

    static final long MAX_QUEUED_MESSAGES = 100_000;
    static final long MAX_SESSION_EXPIRY_SECONDS = 7L * 24 * 60 * 60;
    static final int SERVER_RECEIVE_MAXIMUM = 1_000;
    /** The same number as the gateway's {@code mqtt.max-packet-size} and Mosquitto's {@code max_packet_size}. */
    static final int MAX_PACKET_BYTES = 81_920;

    private BrokerConfigFile() {
    }

    /** Writes (or replaces) {@code confDir/config.xml} for a listener on 127.0.0.1:{@code port}. */
    static Path write(Path confDir, int port) throws IOException {
        return write(confDir, port, null, null);
    }

    /**
     * Writes (or replaces) {@code confDir/config.xml} (mode 0600: it holds the key stores'
     * password): a plaintext listener on 127.0.0.1:{@code port} unless {@code port} is negative,
     * and the TLS listener when {@code tls} is given (port already chosen).
     */
    static Path write(Path confDir, int port, BrokerTls tls, BrokerTls.Stores stores) throws IOException {
        Files.createDirectories(confDir);
        StringBuilder listeners = new StringBuilder();
        if (port >= 0) {
            listeners.append("""
                            <tcp-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                            </tcp-listener>
                    """.formatted(port));
        }
        if (tls != null) {
            String truststore = stores.truststore() == null ? "" : """
                                    <truststore>
                                        <path>%s</path>
                                        <password>%s</password>
                                    </truststore>
                    """.formatted(xmlText(stores.truststore().toString()), stores.password());
            listeners.append("""
                            <tls-tcp-listener>
                                <port>%d</port>
                                <bind-address>%s</bind-address>
                                <tls>
                                    <keystore>
                                        <path>%s</path>
                                        <password>%s</password>
                                        <private-key-password>%s</private-key-password>
                                    </keystore>
                    %s                <client-authentication-mode>%s</client-authentication-mode>
                                    <protocols>
                                        <protocol>TLSv1.3</protocol>
                                        <protocol>TLSv1.2</protocol>
                                    </protocols>
                                </tls>
                            </tls-tcp-listener>
                    """.formatted(tls.port(), xmlText(tls.bindAddress()), xmlText(stores.keystore().toString()),
                    stores.password(), stores.password(), truststore, tls.clientAuth().name()));
        }
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by org.vitalvault.deploy.broker.EmbeddedBroker at every start; edits are lost. -->
                <hivemq>
                    <listeners>
                %s    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                        <session-expiry>
                            <max-interval>%d</max-interval>
                        </session-expiry>
                        <shared-subscriptions>
                            <enabled>true</enabled>
                        </shared-subscriptions>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                        <packets>
                            <max-packet-size>%d</max-packet-size>
                        </packets>
                    </mqtt>
                    <persistence>
                        <mode>file</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(listeners, MAX_QUEUED_MESSAGES, MAX_SESSION_EXPIRY_SECONDS, SERVER_RECEIVE_MAXIMUM,
                        MAX_PACKET_BYTES);
        Path file = confDir.resolve("config.xml");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        return file;
    }

    private static String xmlText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
