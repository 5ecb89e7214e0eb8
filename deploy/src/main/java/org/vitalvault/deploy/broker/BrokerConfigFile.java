package org.vitalvault.deploy.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes HiveMQ's {@code conf/config.xml}. HiveMQ CE needs the file even when embedded, and these
 * values are the ones the vault depends on:
 *
 * <ul>
 *   <li>one TCP listener on {@code 127.0.0.1}: the local stack is reachable from this machine only
 *       (no TLS here);</li>
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
        Files.createDirectories(confDir);
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by org.vitalvault.deploy.broker.EmbeddedBroker at every start; edits are lost. -->
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
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
                """.formatted(port, MAX_QUEUED_MESSAGES, MAX_SESSION_EXPIRY_SECONDS, SERVER_RECEIVE_MAXIMUM,
                        MAX_PACKET_BYTES);
        Path file = confDir.resolve("config.xml");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        return file;
    }
}
