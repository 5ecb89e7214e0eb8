package org.vitalvault.gateway.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.logging.Logger;
import org.vitalvault.gateway.ingest.InboundMessage;
import org.vitalvault.gateway.ingest.IngestPipeline;
import org.vitalvault.mqtt.MqttSockets;
import org.vitalvault.mqtt.TlsFiles;
import org.vitalvault.wire.Topics;

/**
 * The gateway's MQTT 5 side: a persistent session (clean start off, session expiry), a shared
 * subscription so several gateways split the load, manual acknowledgements handed to the pipeline,
 * and automatic reconnect with backoff. The broker's queue is the gateway's inbox: nothing is
 * acknowledged before it is committed, and each delivery only once and only on the connection it
 * came on ({@link Deliveries}, docs/decisions/031). It never publishes: receipts go through
 * {@link ReceiptPublisher}.
 */
public final class MqttIngestClient implements MqttCallback {

    private static final Logger LOG = Logger.getLogger(MqttIngestClient.class);

    /**
     * Connection settings.
     *
     * @param maxPacketSize the MQTT 5 Maximum Packet Size both connections announce in CONNECT: the
     *                      broker must not send them a larger packet (it discards such a message for
     *                      this client instead); 0 announces none
     * @param sockets       sockets for the URL ({@link MqttSockets#forUrl}): TLS for {@code ssl://}
     *                      (with host name verification), plain for {@code tcp://}; TCP_NODELAY on both
     */
    public record Settings(String url, String clientId, String username, String password, String sharedGroup,
                           int receiveMaximum, Duration sessionExpiry, Duration idleResubscribe, int maxPacketSize,
                           SocketFactory sockets) {

        /** Read-ahead of plain sockets (see {@link org.vitalvault.mqtt.NoDelaySocketFactory}). */
        public static final int READ_BUFFER = 64 * 1024;

        /** Settings without TLS files: the JDK's default trust for an {@code ssl://} URL. */
        public Settings(String url, String clientId, String username, String password, String sharedGroup,
                        int receiveMaximum, Duration sessionExpiry, Duration idleResubscribe, int maxPacketSize) {
            this(url, clientId, username, password, sharedGroup, receiveMaximum, sessionExpiry, idleResubscribe,
                    maxPacketSize, MqttSockets.forUrl(url, TlsFiles.none("vitalvault.gateway.mqtt.tls"), READ_BUFFER));
        }

        @Override
        public String toString() {
            return "Settings[" + url + ", " + clientId + "]";
        }

        /** What both of the gateway's connections share: reconnect with backoff, keep-alive, login. */
        MqttConnectionOptions connectionOptions() {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 30);
            options.setKeepAliveInterval(30);
            options.setConnectionTimeout(10);
            options.setSocketFactory(sockets);
            // Paho replaces the TLS socket's parameters before its handshake; only this makes it
            // check the broker's certificate against the host name again.
            options.setHttpsHostnameVerificationEnabled(true);
            if (maxPacketSize > 0) {
                options.setMaximumPacketSize((long) maxPacketSize);
            }
            if (username != null && !username.isEmpty()) {
                options.setUserName(username);
                options.setPassword(password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8));
            }
            return options;
        }

        /**
         * The receipt connection's settings: its own user name (given, or this one + "-receipts") and
         * password (given, or this one), and client id this one + "-receipts". Mosquitto with
         * {@code use_username_as_clientid} replaces the client id by the user name, so only distinct
         * user names keep the two connections from sharing one id and taking each other over; a
         * broker that keeps client ids (the local stack's HiveMQ, whose gateway replicas share one
         * user) tells the replicas' receipt connections apart by the client id (decision 029).
         */
        public Settings forReceipts(Optional<String> receiptsUsername, Optional<String> receiptsPassword) {
            boolean login = username != null && !username.isEmpty();
            String user = receiptsUsername.orElse(login ? username + "-receipts" : null);
            return new Settings(url, clientId + "-receipts", user, receiptsPassword.orElse(password), sharedGroup,
                    receiveMaximum, sessionExpiry, idleResubscribe, maxPacketSize, sockets);
        }
    }

    private final Settings settings;
    private final IngestPipeline pipeline;
    private final Clock clock;
    private volatile MqttAsyncClient client;
    private volatile boolean connected;
    /** Messages handed to the pipeline and not yet acknowledged; their acks, per connection. */
    private final Deliveries deliveries = new Deliveries((id, qos) -> client.messageArrivedComplete(id, qos));
    private volatile long lastActivityNanos = System.nanoTime();
    private final AtomicLong idleResubscribes = new AtomicLong();
    /** Whether a message arrived since the watchdog last subscribed again. */
    private volatile boolean arrivedSinceResubscribe;
    private ScheduledExecutorService watchdog;

    public MqttIngestClient(Settings settings, IngestPipeline pipeline, Clock clock) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.clock = clock;
    }

    /** Devices publish to readings/{id}; MQTT 3 nodes name their format in readings/{id}/json|cbor. */
    public String topicFilter() {
        return Topics.sharedReadings(settings.sharedGroup());
    }

    private String suffixTopicFilter() {
        return Topics.sharedReadingsWithFormat(settings.sharedGroup());
    }

    public void start() throws MqttException {
        client = new MqttAsyncClient(settings.url(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(this);
        MqttConnectionOptions options = settings.connectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        options.setReceiveMaximum(settings.receiveMaximum());
        startWatchdog();
        try {
            FirstConnect.connect(client, options, () -> true, f -> LOG.warnf("broker %s not reachable yet (%s);"
                    + " retrying in %d ms", settings.url(), f.cause().getMessage(), f.retryInMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(e);
        }
    }

    public boolean isConnected() {
        return connected;
    }

    /**
     * QoS 1 messages received and not yet acknowledged: the gateway's whole holding of broker
     * messages (queued, being sealed, being committed). The broker keeps it at or below the
     * Receive Maximum, whatever the pipeline's queue capacity.
     */
    public int unacknowledged() {
        return deliveries.unacknowledged();
    }

    /**
     * Acks not sent because the connection their message came on had gone: the broker delivers
     * those messages again on the current connection, and that delivery's ack settles them.
     */
    public long staleAcksDropped() {
        return deliveries.staleAcksDropped();
    }

    /** Second and later acks of one delivery, ignored. */
    public long repeatedAcksIgnored() {
        return deliveries.repeatedAcksIgnored();
    }

    /** Times the watchdog subscribed again on an idle connection. */
    public long idleResubscribes() {
        return idleResubscribes.get();
    }

    /**
     * HiveMQ CE can stop delivering a shared subscription to a connected member after another
     * member went away under load (hivemq-community-edition#558): the connection stays up, the
     * queue grows, nothing arrives. A repeated SUBSCRIBE makes the broker poll the shared queue
     * for this client again. It is sent only when the gateway holds nothing unacknowledged (so a
     * gateway that withholds acks while PostgreSQL is down is left alone) and nothing arrived for
     * a while; on an idle system it costs one SUBSCRIBE per period.
     */
    private void startWatchdog() {
        Duration idle = settings.idleResubscribe();
        if (idle == null || idle.isZero() || idle.isNegative()) {
            return;
        }
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-idle-watchdog");
            t.setDaemon(true);
            return t;
        });
        long periodMillis = Math.max(100, idle.toMillis() / 3);
        watchdog.scheduleWithFixedDelay(() -> {
            MqttAsyncClient c = client;
            if (c == null || !connected || deliveries.unacknowledged() > 0
                    || System.nanoTime() - lastActivityNanos < idle.toNanos()) {
                return;
            }
            lastActivityNanos = System.nanoTime();
            try {
                c.subscribe(subscriptions());
                idleResubscribes.incrementAndGet();
                if (arrivedSinceResubscribe) {
                    // Once per quiet spell, not every period of an idle system.
                    LOG.infof("no message for %s with nothing unacknowledged: subscribed again", idle);
                }
                arrivedSinceResubscribe = false;
            } catch (MqttException e) {
                LOG.debugf("idle re-subscribe failed: %s", e.getMessage());
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private MqttSubscription[] subscriptions() {
        return new MqttSubscription[] {new MqttSubscription(topicFilter(), 1),
                new MqttSubscription(suffixTopicFilter(), 1)};
    }

    /** Stops delivery; unacknowledged messages stay in the broker's session for the next start. */
    public void stop() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        // From here on nothing is acknowledged: what is not, stays in the session.
        deliveries.connectionLost();
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(5_000).waitForCompletion(6_000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.warnf("MQTT disconnect: %s", e.getMessage());
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // The generation moved on in disconnected(), not here: Paho may already be handing this
        // connection's first messages over, and their acks must count as this connection's.
        connected = true;
        try {
            // Subscribing again is harmless when the session kept the subscription, and needed when it did not.
            client.subscribe(subscriptions());
            LOG.infof("%s to %s, subscribed to %s and %s", reconnect ? "reconnected" : "connected", serverURI,
                    topicFilter(), suffixTopicFilter());
        } catch (MqttException e) {
            LOG.errorf("subscribe to %s failed: %s", topicFilter(), e.getMessage());
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        int id = message.getId();
        int qos = message.getQos();
        lastActivityNanos = System.nanoTime();
        if (!arrivedSinceResubscribe && idleResubscribes.get() > 0) {
            LOG.infof("messages arrive again after %d idle re-subscribes", idleResubscribes.get());
        }
        arrivedSinceResubscribe = true;
        Delivery delivery = deliveries.arrived(id, qos);
        String contentType = message.getProperties() == null ? null : message.getProperties().getContentType();
        InboundMessage inbound = new InboundMessage(topic, contentType, message.getPayload(), clock.millis(),
                delivery, qos);
        // Blocks while the pipeline is full: Paho stops reading, the broker stops at Receive Maximum.
        pipeline.offer(inbound);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // Paho calls this after the lost connection's callback thread stopped and before it
        // reconnects: every message that arrived on the old connection is behind this line, every
        // message of the next one after it.
        deliveries.connectionLost();
        connected = false;
        String why = response.getReasonString() != null ? response.getReasonString()
                : response.getException() != null ? response.getException().getMessage() : "no reason given";
        LOG.warnf("disconnected from broker: %s; %d messages in the pipeline will be delivered again", why,
                deliveries.unacknowledged());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warnf("MQTT error: %s", exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // This connection never publishes (see ReceiptPublisher).
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication.
    }
}
