package org.vitalvault.deploy.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's MQTT 5 broker: HiveMQ CE embedded in this JVM, listening in plaintext on
 * 127.0.0.1 (or not at all) and, when given {@link BrokerTls}, over TLS (docs/decisions/034), with the
 * vault's authentication and topic permissions, and file persistence so sessions and queued QoS 1
 * messages survive a restart on the same data directory.
 *
 * <p>Layout under {@code dataDir}: {@code conf/config.xml} (rewritten at every start, see
 * {@link BrokerConfigFile}), {@code data/} (HiveMQ's persistence) and {@code extensions/} (empty:
 * the vault's extension is embedded, see {@link BrokerExtension}).
 *
 * <p>Before start it raises HiveMQ's internal in-flight window from 50 to 1,000 messages per
 * client ({@link HiveMqInternalLimits}); a lower client Receive Maximum still wins.
 *
 * <p>What a refused client sees (MQTT 5): a CONNACK with "bad user name or password" for wrong or
 * unknown credentials and unpaired devices, "client identifier not valid" for a device not using
 * its device id as client id, "server unavailable" when the credential store is down. A PUBLISH
 * to a topic it may not use (or a retained one from a device) is dropped; HiveMQ CE answers a
 * QoS 1 one with PUBACK "not authorized" and then always disconnects the client with DISCONNECT
 * "not authorized" (hard-coded in HiveMQ, also for extension authorizers). Because the PUBACK
 * comes first, a client does not resend the refused message after reconnecting. A SUBSCRIBE to a
 * filter it may not use gets SUBACK "not authorized" and the client stays connected.
 *
 * <p>Limits against hostile devices (docs/decisions/033): packets above
 * {@value BrokerConfigFile#MAX_PACKET_BYTES} bytes are refused from the fixed header (DISCONNECT
 * {@code 0x95}); QoS 0 readings are dropped; each device has a publish quota
 * ({@link DevicePublishQuota}, PUBACK {@code 0x97} beyond it). Both are counted:
 * {@link #publishesOverQuota()}, {@link #qos0PublishesDropped()}.
 *
 * <p>Start takes about 1.5–5 s, stop about 4–5 s (HiveMQ flushes its persistence).
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final BrokerTls tls;
    private final DevicePublishLimiter limiter;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, int port, BrokerTls tls, DevicePublishLimiter limiter) {
        this.hivemq = hivemq;
        this.port = port;
        this.tls = tls;
        this.limiter = limiter;
    }

    /** Starts the broker with the default device publish quota ({@link DevicePublishQuota#DEFAULT}). */
    public static EmbeddedBroker start(Path dataDir, int port, BrokerCredentials credentials) {
        return start(dataDir, port, credentials, DevicePublishQuota.DEFAULT);
    }

    /**
     * Starts the broker and waits until it accepts connections.
     *
     * @param dataDir     broker home; its {@code data/} is kept across runs
     * @param port        TCP port on 127.0.0.1, or 0 for a free port chosen now
     * @param credentials who may connect, and as which {@link BrokerPrincipal}
     * @param quota       how much each device may publish (the gateway's device limits)
     * @return the running broker
     * @throws IllegalStateException if HiveMQ does not start (for example the port is taken)
     */
    public static EmbeddedBroker start(Path dataDir, int port, BrokerCredentials credentials,
                                       DevicePublishQuota quota) {
        return start(dataDir, port, null, credentials, quota);
    }

    /**
     * Starts the broker with a plaintext listener on 127.0.0.1 (unless {@code port} is -1) and the
     * TLS listener {@code tls} (unless null), and waits until it accepts connections.
     *
     * @param port TCP port of the plaintext listener on 127.0.0.1, 0 for a free one, -1 for none
     * @param tls  the TLS listener, or null for none; its port 0 means a free one chosen now
     * @throws IllegalArgumentException with neither listener, or a TLS file that cannot be used
     */
    public static EmbeddedBroker start(Path dataDir, int port, BrokerTls tls, BrokerCredentials credentials,
                                       DevicePublishQuota quota) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(quota, "quota");
        if (port < -1 || port > 65_535) {
            throw new IllegalArgumentException("port must be -1 (none), 0 (any free port) or 1..65535, was " + port);
        }
        if (port == -1 && tls == null) {
            throw new IllegalArgumentException("the broker needs a plaintext or a TLS listener");
        }
        HiveMqLogging.quiet();
        Path home = dataDir.toAbsolutePath();
        int listenPort = port == 0 ? freeLoopbackPort() : port;
        if (tls != null && tls.port() == 0) {
            tls = tls.withPort(freeLoopbackPort());
        }
        Path confDir = home.resolve("conf");
        Path persistenceDir = home.resolve("data");
        Path extensionsDir = home.resolve("extensions");
        try {
            BrokerConfigFile.write(confDir, listenPort, tls, tls == null ? null : tls.writeStores(confDir.resolve("tls")));
            Files.createDirectories(persistenceDir);
            Files.createDirectories(extensionsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker directory " + home, e);
        }
        HiveMqInternalLimits.raiseInflightWindow();
        DevicePublishLimiter limiter = new DevicePublishLimiter(quota, System::nanoTime);

        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(confDir)
                .withDataFolder(persistenceDir)
                .withExtensionsFolder(extensionsDir)
                .withEmbeddedExtension(vaultExtension(credentials, limiter))
                .withoutLoggingBootstrap()
                .build();
        long started = System.nanoTime();
        try {
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(hivemq);
            throw new IllegalStateException("interrupted while starting the MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            stopQuietly(hivemq);
            throw new IllegalStateException("MQTT broker did not start (" + listenersText(listenPort, tls)
                    + ") with data in " + home, e);
        }
        LOG.info("MQTT broker ({}) started in {} ms (data in {}; max packet {} bytes, device quota {})",
                listenersText(listenPort, tls), (System.nanoTime() - started) / 1_000_000, home,
                BrokerConfigFile.MAX_PACKET_BYTES, quota);
        return new EmbeddedBroker(hivemq, listenPort, tls, limiter);
    }

    private static String listenersText(int port, BrokerTls tls) {
        String plain = port >= 0 ? "plaintext 127.0.0.1:" + port : "no plaintext listener";
        return tls == null ? plain : plain + ", TLS " + tls.bindAddress() + ":" + tls.port()
                + " client certificates " + tls.clientAuth();
    }

    /** The TLS listener as a client on this machine reaches it ({@code ssl://localhost:PORT}), or null. */
    public String tlsUrl() {
        return tls == null ? null : "ssl://localhost:" + tls.port();
    }

    /** The TLS listener's port, or -1 without one. */
    public int tlsPort() {
        return tls == null ? -1 : tls.port();
    }

    /** The TLS listener as started (its port chosen), or null. */
    public BrokerTls tls() {
        return tls;
    }

    /** Device publishes refused with PUBACK {@code 0x97 QUOTA_EXCEEDED} since this broker started. */
    public long publishesOverQuota() {
        return limiter.overQuota();
    }

    /** QoS 0 publishes of readings dropped since this broker started. */
    public long qos0PublishesDropped() {
        return limiter.qos0Dropped();
    }

    /** The largest MQTT packet this broker accepts, in bytes. */
    public static int maxPacketBytes() {
        return BrokerConfigFile.MAX_PACKET_BYTES;
    }

    /** The plaintext TCP port on 127.0.0.1 the broker listens on (-1: none). */
    public int port() {
        return port;
    }

    /**
     * Stops the broker and waits for its persistence to be closed (about 4–5 s), so a broker
     * started afterwards on the same data directory finds every session and queued message.
     */
    @Override
    public void close() {
        long started = System.nanoTime();
        try {
            hivemq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("MQTT broker (" + listenersText(port, tls) + ") did not stop cleanly", e);
        }
        LOG.info("MQTT broker ({}) stopped in {} ms", listenersText(port, tls), (System.nanoTime() - started) / 1_000_000);
    }

    private static EmbeddedExtension vaultExtension(BrokerCredentials credentials, DevicePublishLimiter limiter) {
        return EmbeddedExtension.builder()
                .withId("vitalvault-broker-auth")
                .withName("Vital Vault broker authentication and topic permissions")
                .withVersion("1")
                .withPriority(1_000)
                .withStartPriority(1_000)
                .withExtensionMain(new BrokerExtension(credentials, limiter))
                .build();
    }

    private static int freeLoopbackPort() {
        // The port is free now; another process could take it before HiveMQ binds. Good enough for
        // a local stack and tests; a fixed port avoids the race.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void stopQuietly(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("MQTT broker did not stop after a failed start: {}", e.toString());
        }
    }
}
