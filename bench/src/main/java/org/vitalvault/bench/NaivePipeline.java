package org.vitalvault.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.vitalvault.mqtt.NoDelaySocketFactory;

/**
 * The baseline the gateway is compared with: the simplest pipeline that still acknowledges only
 * after commit. One Paho v5 subscriber on {@code <prefix>+} (QoS 1, manual acks, Receive Maximum),
 * Jackson to parse the SenML pack in the MQTT callback, a bounded queue, and one writer thread that
 * inserts one plaintext row per reading into {@code bench_naive(device_id, t, v)} with a JDBC batch,
 * commits every {@code maxMessages} messages or {@code linger}, then acknowledges. No validation,
 * no device lookup, no sealing.
 */
final class NaivePipeline implements MqttCallback, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WRITER_THREAD = "bench-naive-writer";

    private record Parsed(int id, int qos, UUID device, long[] times, double[] values) {
    }

    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final String topicPrefix;
    private final int maxMessages;
    private final long lingerNanos;
    private final BlockingQueue<Parsed> queue;
    private final AtomicLong committedReadings = new AtomicLong();
    private final AtomicLong committedMessages = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong unparsable = new AtomicLong();
    private final AtomicLong commitNanos = new AtomicLong();
    private MqttAsyncClient client;
    private Thread writer;
    private volatile boolean running;
    private volatile Exception failure;

    NaivePipeline(String jdbcUrl, String dbUser, String dbPassword, String topicPrefix, int maxMessages,
                  long lingerMillis, int queueCapacity) {
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.topicPrefix = topicPrefix;
        this.maxMessages = maxMessages;
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Creates its table (empty), starts the writer, connects and subscribes. */
    void start(String brokerUrl, String clientId, int receiveMaximum) throws SQLException, MqttException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_naive");
            s.execute("create table bench_naive (device_id uuid not null, t bigint not null, v double precision not null)");
        }
        running = true;
        writer = new Thread(this::write, WRITER_THREAD);
        writer.setDaemon(true);
        writer.start();
        client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(this);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setKeepAliveInterval(60);
        o.setReceiveMaximum(receiveMaximum);
        o.setSocketFactory(new NoDelaySocketFactory());
        client.connect(o).waitForCompletion(15_000);
        client.subscribe(new MqttSubscription(topicPrefix + "+", 1)).waitForCompletion(10_000);
    }

    long committedReadings() {
        return committedReadings.get();
    }

    long committedMessages() {
        return committedMessages.get();
    }

    long commits() {
        return commits.get();
    }

    /** Time spent in executeBatch + commit, all commits. */
    long commitNanos() {
        return commitNanos.get();
    }

    /** Drops its table and checkpoints, so that the next phase does not pay for this one's writes. */
    void dropTable() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_naive");
            s.execute("checkpoint");
        }
    }

    long unparsable() {
        return unparsable.get();
    }

    Exception failure() {
        return failure;
    }

    /** Rows in its table, to check that what was counted is there. */
    long rowCount() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword); Statement s = c.createStatement();
             var rs = s.executeQuery("select count(*) from bench_naive")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        UUID device;
        long[] times;
        double[] values;
        try {
            device = UUID.fromString(topic.substring(topicPrefix.length()));
            JsonNode pack = JSON.readTree(message.getPayload());
            times = new long[pack.size()];
            values = new double[pack.size()];
            double baseTime = 0;
            for (int i = 0; i < pack.size(); i++) {
                JsonNode r = pack.get(i);
                if (r.has("bt")) {
                    baseTime = r.get("bt").asDouble();
                }
                times[i] = Math.round((baseTime + r.path("t").asDouble(0)) * 1000d);
                values[i] = r.path("v").asDouble();
            }
        } catch (Exception e) {
            unparsable.incrementAndGet();
            device = null;
            times = new long[0];
            values = new double[0];
        }
        // Blocks while the writer is behind: Paho stops reading and the broker stops at Receive Maximum.
        queue.put(new Parsed(message.getId(), message.getQos(), device, times, values));
    }

    private void write() {
        List<Parsed> batch = new ArrayList<>(maxMessages);
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into bench_naive (device_id, t, v) values (?, ?, ?)")) {
                while (running || !queue.isEmpty()) {
                    Parsed first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    long deadline = System.nanoTime() + lingerNanos;
                    while (batch.size() < maxMessages) {
                        long left = deadline - System.nanoTime();
                        Parsed next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                    }
                    int readings = 0;
                    for (Parsed p : batch) {
                        for (int i = 0; i < p.times().length; i++) {
                            insert.setObject(1, p.device());
                            insert.setLong(2, p.times()[i]);
                            insert.setDouble(3, p.values()[i]);
                            insert.addBatch();
                            readings++;
                        }
                    }
                    long writeStarted = System.nanoTime();
                    if (readings > 0) {
                        insert.executeBatch();
                    }
                    c.commit();
                    commitNanos.addAndGet(System.nanoTime() - writeStarted);
                    for (Parsed p : batch) {
                        client.messageArrivedComplete(p.id(), p.qos());
                    }
                    committedReadings.addAndGet(readings);
                    committedMessages.addAndGet(batch.size());
                    commits.incrementAndGet();
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | MqttException | RuntimeException e) {
            failure = e;
            System.out.println("baseline pipeline failed: " + e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.join(10_000);
        }
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnect(2_000).waitForCompletion(3_000);
                }
                client.close();
            } catch (MqttException ignored) {
                // shutting down anyway
            }
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        System.out.println("baseline subscriber disconnected: " + response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        System.out.println("baseline subscriber error: " + exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // publishes nothing
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // subscribed in start()
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }
}
