package org.vitalvault.vault.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.logging.Logger;
import org.vitalvault.mqtt.MqttSockets;
import org.vitalvault.mqtt.TlsFiles;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The MQTT witness ({@code vitalvault.audit.mqtt-url}): each new checkpoint is published retained
 * with QoS 1 to {@code vitalvault.audit.mqtt-topic}, so every witness that subscribes (a device, an
 * owner's phone, an auditor's {@code mosquitto_sub}) gets the latest one at once and every later one
 * as it comes.
 *
 * <p>The signer never waits for the broker: {@link #publish} only hands the note to one worker
 * thread and returns. Only the newest note matters (the topic is retained, and each checkpoint is
 * consistent with the ones before), so a note that arrives while an older one is still waiting
 * replaces it. The worker keeps one connection, with every broker operation bounded by
 * {@code vitalvault.broker.timeout}; on any failure it drops the connection, waits (1 s doubling to
 * 30 s) and tries again with the newest note. TLS (an ssl:// URL) uses {@code vitalvault.broker.tls.*}.
 *
 * <p>Never backwards: the worker also subscribes to the topic, and does not publish a note whose
 * size is not larger than the largest it has seen there (another replica's, or the retained one
 * from before a restart). Two replicas publishing at the same instant can still leave the smaller
 * one retained until the next checkpoint; witnesses compare sizes, not arrival order.
 *
 * <p>Counted: {@code vitalvault.audit.witness{witness=mqtt,outcome=published|older|failed|replaced}}.
 */
// Looked up by the signer as every CheckpointWitness: never removed as unused.
@Unremovable
@ApplicationScoped
public class MqttWitness implements CheckpointWitness {

    private static final Logger LOG = Logger.getLogger(MqttWitness.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /**
     * Where and as whom to publish; the password is never printed.
     *
     * @param timeout bound of each connect, subscribe and publish
     */
    public record Settings(String url, String topic, String username, Optional<String> password, Duration timeout,
                           SocketFactory sockets) {
        @Override
        public String toString() {
            return "Settings[" + url + ", " + topic + ", " + username + "]";
        }
    }

    private record Note(String text, long size) {
    }

    private final Optional<Settings> settings;
    private final AtomicReference<Note> waiting = new AtomicReference<>();
    private final AtomicLong largestSeen = new AtomicLong(-1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Counter published;
    private final Counter older;
    private final Counter failed;
    private final Counter replaced;
    private Thread worker;
    private volatile boolean stopped;
    private MqttClient client;

    @Inject
    public MqttWitness(VaultConfig config, MeterRegistry meters) {
        this(settings(config), meters);
    }

    public MqttWitness(Optional<Settings> settings, MeterRegistry meters) {
        this.settings = settings;
        this.published = counter(meters, "published");
        this.older = counter(meters, "older");
        this.failed = counter(meters, "failed");
        this.replaced = counter(meters, "replaced");
    }

    private static Optional<Settings> settings(VaultConfig config) {
        VaultConfig.Audit audit = config.audit();
        if (audit.mqttUrl().isEmpty()) {
            return Optional.empty();
        }
        String url = audit.mqttUrl().get();
        VaultConfig.Broker.Tls t = config.broker().tls();
        // The same broker as the provisioning connection, so the same trust (read now: a bad file stops the vault).
        TlsFiles tls = new TlsFiles("vitalvault.broker.tls", t.trustFile().map(Path::of), t.certFile().map(Path::of),
                t.keyFile().map(Path::of));
        return Optional.of(new Settings(url, audit.mqttTopic(), audit.mqttUsername(), audit.mqttPassword(),
                config.broker().timeout(), MqttSockets.forUrl(url, tls, 0)));
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("vitalvault.audit.witness").tag("witness", "mqtt").tag("outcome", outcome)
                .description("Checkpoints handed to a witness, by outcome").register(meters);
    }

    /** Hands the note to the worker and returns at once. */
    @Override
    public void publish(String note, long size) {
        if (settings.isEmpty() || stopped) {
            return;
        }
        Note previous = waiting.getAndAccumulate(new Note(note, size),
                (old, now) -> old != null && old.size() >= now.size() ? old : now);
        if (previous != null) {
            replaced.increment();
        }
        lock.lock();
        try {
            if (worker == null) {
                worker = new Thread(this::run, "audit-mqtt-witness");
                worker.setDaemon(true);
                worker.start();
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The largest tree size published or seen on the topic, or -1. */
    public long largestSeen() {
        return largestSeen.get();
    }

    private void run() {
        Settings s = settings.orElseThrow();
        Duration backoff = FIRST_BACKOFF;
        while (!stopped) {
            Note note;
            try {
                note = next();
            } catch (InterruptedException e) {
                return;
            }
            if (note == null) {
                continue;
            }
            try {
                connect(s);
                if (note.size() <= largestSeen.get()) {
                    older.increment();
                } else {
                    MqttMessage message = new MqttMessage(note.text().getBytes(StandardCharsets.UTF_8), 1, true,
                            new MqttProperties());
                    client.publish(s.topic(), message);
                    largestSeen.accumulateAndGet(note.size(), Math::max);
                    published.increment();
                }
                backoff = FIRST_BACKOFF;
            } catch (MqttException | RuntimeException e) {
                failed.increment();
                LOG.warnf("checkpoint of size %d not yet published to %s (%s); retrying in %s", note.size(), s,
                        e.getMessage(), backoff);
                // The newest note wins: put this one back unless a newer one came meanwhile.
                waiting.accumulateAndGet(note, (now, back) -> now != null && now.size() >= back.size() ? now : back);
                closeClient();
                if (!pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private Note next() throws InterruptedException {
        lock.lock();
        try {
            while (!stopped && waiting.get() == null) {
                arrived.await();
            }
        } finally {
            lock.unlock();
        }
        return waiting.getAndSet(null);
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void connect(Settings s) throws MqttException {
        if (client != null && client.isConnected()) {
            return;
        }
        closeClient();
        // A client id of its own per replica: on the embedded broker two replicas with one user
        // would otherwise take each other's connection over (Mosquitto uses the user name instead).
        MqttClient c = new MqttClient(s.url(), s.username() + "-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        c.setTimeToWait(s.timeout().toMillis());
        c.setCallback(new Seen(s.topic()));
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) Math.max(1, s.timeout().toSeconds()));
        o.setKeepAliveInterval(30);
        o.setSocketFactory(s.sockets());
        o.setHttpsHostnameVerificationEnabled(true);
        o.setUserName(s.username());
        s.password().ifPresent(p -> o.setPassword(p.getBytes(StandardCharsets.UTF_8)));
        client = c;
        c.connect(o);
        IMqttToken subscribed = c.subscribe(s.topic(), 1);
        int[] granted = subscribed.getReasonCodes();
        if (granted == null || granted.length == 0 || granted[0] >= 0x80) {
            // Not fatal: only the guard against older notes is lost.
            LOG.warnf("the broker does not let %s read %s; publishing without seeing other replicas' checkpoints",
                    s.username(), s.topic());
        }
        LOG.infof("publishing audit checkpoints to %s", s);
    }

    private void closeClient() {
        MqttClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect();
            }
        } catch (MqttException e) {
            LOG.debugf("audit witness disconnect: %s", e.getMessage());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            LOG.debugf("audit witness close: %s", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        Thread w;
        lock.lock();
        try {
            w = worker;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeClient();
    }

    /** Tracks the largest size on the topic: another replica's checkpoints, or the retained one. */
    private final class Seen implements MqttCallback {
        private final String topic;

        Seen(String topic) {
            this.topic = topic;
        }

        @Override
        public void messageArrived(String t, MqttMessage message) {
            if (topic.equals(t)) {
                long size = NoteSize.of(new String(message.getPayload(), StandardCharsets.UTF_8));
                if (size >= 0) {
                    largestSeen.accumulateAndGet(size, Math::max);
                }
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
