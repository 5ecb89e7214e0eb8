package org.vitalvault.gateway.app;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.vitalvault.gateway.activity.DeviceActivityCounts;
import org.vitalvault.gateway.activity.DeviceActivityFlusher;
import org.vitalvault.gateway.activity.JdbcActivityStore;
import org.vitalvault.gateway.config.GatewayConfig;
import org.vitalvault.gateway.ingest.DevicePayloadDecoder;
import org.vitalvault.gateway.ingest.IngestListener;
import org.vitalvault.gateway.ingest.IngestPipeline;
import org.vitalvault.gateway.ingest.ReceiptSink;
import org.vitalvault.gateway.ingest.RecordValidator;
import org.vitalvault.gateway.ingest.RejectionLog;
import org.vitalvault.gateway.mqtt.MqttIngestClient;
import org.vitalvault.gateway.mqtt.PahoLogger;
import org.vitalvault.gateway.quota.DeviceQuotas;
import org.vitalvault.gateway.mqtt.ReceiptPublisher;
import org.vitalvault.gateway.receipts.ReceiptCoalescer;
import org.vitalvault.gateway.receipts.ReceiptFlusher;
import org.vitalvault.gateway.receipts.ReceiptTransport;
import org.vitalvault.gateway.sealing.OwnerSealer;
import org.vitalvault.gateway.store.JdbcBatchStore;
import org.vitalvault.gateway.store.JdbcDeviceDirectory;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.mqtt.MqttSockets;
import org.vitalvault.mqtt.TlsFiles;
import org.vitalvault.wire.RejectionReason;

/**
 * Wires the plain ingest classes into Quarkus: configuration, the datasource, Micrometer metrics
 * ({@code vitalvault_gateway_*} at /q/metrics) and the start/stop order — MQTT last in, first out,
 * so the batch in flight can commit and be acknowledged before the connection closes.
 */
@ApplicationScoped
public class GatewayService {

    private static final Logger LOG = Logger.getLogger(GatewayService.class);

    @Inject
    GatewayConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    private final RejectionLog rejectionLog = new RejectionLog(1000);
    private IngestPipeline pipeline;
    private volatile MqttIngestClient mqtt;
    private volatile ReceiptPublisher receipts;
    private ReceiptFlusher receiptFlusher;
    private DeviceActivityFlusher activityFlusher;

    void onStart(@Observes StartupEvent event) throws Exception {
        if (!PahoLogger.install()) {
            LOG.info("Paho keeps its default logger (one JUL lookup per MQTT token)");
        }
        Clock clock = Clock.systemUTC();
        Counter receiptsSent = registry.counter("vitalvault_gateway_receipts_sent");
        Counter receiptsNotSent = registry.counter("vitalvault_gateway_receipts_not_sent");
        ReceiptTransport transport = receipt -> {
            boolean sent = receipts.publish(receipt);
            (sent ? receiptsSent : receiptsNotSent).increment();
            return sent;
        };
        ReceiptSink receiptSink = coalescingReceipts(transport);
        GatewayConfig.Limits limits = config.limits();
        GatewayConfig.Batch batch = config.batch();
        JdbcDeviceDirectory directory = new JdbcDeviceDirectory(dataSource, config.deviceCacheTtl());
        DeviceQuotas quotas = new DeviceQuotas(limits.deviceReadingsPerSecond(), limits.deviceBytesPerSecond(),
                limits.deviceBurst(), System::nanoTime);
        directory.listenForUnpairing();
        directory.refreshAhead();
        registry.gauge("vitalvault_gateway_devices_cached", directory, JdbcDeviceDirectory::cached);
        DeviceActivityCounts activity = new DeviceActivityCounts(config.activity().maxDevices(), clock);
        activityFlusher = new DeviceActivityFlusher(activity,
                new JdbcActivityStore(dataSource, config.activity().writeTimeoutSeconds()),
                config.activity().flushInterval());
        registry.more().counter("vitalvault_gateway_activity_rows_written", List.of(), activityFlusher,
                DeviceActivityFlusher::rowsWritten);
        registry.more().counter("vitalvault_gateway_activity_rows_lost", List.of(), activityFlusher,
                DeviceActivityFlusher::rowsLost);
        registry.more().counter("vitalvault_gateway_activity_devices_dropped", List.of(), activity,
                DeviceActivityCounts::devicesDropped);
        pipeline = new IngestPipeline(
                new DevicePayloadDecoder(limits.maxPayloadBytes(), limits.maxRecords()),
                new RecordValidator(MetricCatalogue.standard(), limits.maxFuture(), limits.maxAge()),
                directory,
                new OwnerSealer(config.epochLength()),
                new JdbcBatchStore(dataSource, clock),
                new MicrometerListener(registry),
                receiptSink,
                rejectionLog,
                activity,
                clock,
                new IngestPipeline.Settings(batch.maxMessages(), batch.linger(), batch.queueCapacity(), batch.maxBackoff()),
                new IngestPipeline.Limits(batch.maxQueuedBytes(), limits.processingDeadline(), quotas));
        registry.gauge("vitalvault_gateway_queued_messages", pipeline, IngestPipeline::queued);
        registry.gauge("vitalvault_gateway_queued_bytes", pipeline, IngestPipeline::queuedBytes);
        // The configured quotas, so that a dashboard shows what "rate-limited" was measured against.
        Gauge.builder("vitalvault_gateway_device_quota", quotas, DeviceQuotas::readingsPerSecond)
                .tag("kind", "readings_per_second").register(registry);
        Gauge.builder("vitalvault_gateway_device_quota", quotas, DeviceQuotas::bytesPerSecond)
                .tag("kind", "bytes_per_second").register(registry);
        GatewayConfig.Mqtt m = config.mqtt();
        // TLS files are read here, at start-up: a missing or bad one stops the gateway, naming the setting.
        TlsFiles tls = new TlsFiles("vitalvault.gateway.mqtt.tls", m.tls().trustFile().map(Path::of),
                m.tls().certFile().map(Path::of), m.tls().keyFile().map(Path::of));
        MqttIngestClient.Settings settings = new MqttIngestClient.Settings(m.url(), m.clientId(),
                m.username().orElse(null), m.password().orElse(null), m.sharedGroup(), m.receiveMaximum(),
                m.sessionExpiry(), m.idleResubscribe(), m.maxPacketSize(),
                MqttSockets.forUrl(m.url(), tls, MqttIngestClient.Settings.READ_BUFFER));
        receipts = new ReceiptPublisher(settings.forReceipts(m.receiptsUsername(), m.receiptsPassword()));
        receipts.start();
        if (receiptFlusher != null) {
            receiptFlusher.start();
        }
        activityFlusher.start();
        pipeline.start();
        mqtt = new MqttIngestClient(settings, pipeline, clock);
        registry.more().counter("vitalvault_gateway_idle_resubscribes", List.of(), mqtt,
                MqttIngestClient::idleResubscribes);
        registry.gauge("vitalvault_gateway_unacknowledged_messages", mqtt, MqttIngestClient::unacknowledged);
        // Acks of messages whose connection had gone (the broker delivers them again), and repeated acks.
        registry.more().counter("vitalvault_gateway_stale_acks_dropped", List.of(), mqtt,
                MqttIngestClient::staleAcksDropped);
        registry.more().counter("vitalvault_gateway_repeated_acks_ignored", List.of(), mqtt,
                MqttIngestClient::repeatedAcksIgnored);
        mqtt.start();
        LOG.infof("gateway ingesting from %s (%s)", m.url(), mqtt.topicFilter());
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (pipeline != null) {
            pipeline.stop(Duration.ofSeconds(10));
        }
        if (receiptFlusher != null) {
            receiptFlusher.stop();
        }
        if (activityFlusher != null) {
            // After the pipeline: the last commits' activity is written too.
            activityFlusher.stop();
        }
        if (mqtt != null) {
            mqtt.stop();
        }
        if (receipts != null) {
            receipts.stop();
        }
    }

    /** Receipts straight to the transport (PT0S), or at most one per device per interval. */
    private ReceiptSink coalescingReceipts(ReceiptTransport transport) {
        Duration interval = config.receipts().coalesce();
        if (interval.isZero()) {
            return transport::send;
        }
        ReceiptCoalescer coalescer = new ReceiptCoalescer(transport, interval, System::nanoTime);
        receiptFlusher = new ReceiptFlusher(coalescer, ReceiptFlusher.tickFor(interval));
        registry.more().counter("vitalvault_gateway_receipts_coalesced", List.of(), coalescer, ReceiptCoalescer::coalesced);
        registry.gauge("vitalvault_gateway_receipt_windows_open", coalescer, ReceiptCoalescer::openWindows);
        return coalescer;
    }

    /** The most recent rejections (reasons only, never values), newest first. */
    public List<RejectionLog.Entry> recentRejections() {
        return rejectionLog.recent();
    }

    boolean mqttConnected() {
        return mqtt != null && mqtt.isConnected();
    }

    /** Counts what the pipeline reports; rejection reasons are a small fixed set, so one counter each. */
    static final class MicrometerListener implements IngestListener {
        private final MeterRegistry registry;
        private final Counter messages;
        private final Counter readings;
        private final Counter storeFailures;
        private final Timer commits;
        private final ConcurrentHashMap<RejectionReason, Counter> rejections = new ConcurrentHashMap<>();

        MicrometerListener(MeterRegistry registry) {
            this.registry = registry;
            this.messages = registry.counter("vitalvault_gateway_messages_committed");
            this.readings = registry.counter("vitalvault_gateway_readings_stored");
            this.storeFailures = registry.counter("vitalvault_gateway_store_failures");
            this.commits = registry.timer("vitalvault_gateway_commit");
        }

        @Override
        public void rejected(RejectionReason reason, int records) {
            // The label is the wire code, the same string the device reads in its receipt.
            rejections.computeIfAbsent(reason,
                    r -> registry.counter("vitalvault_gateway_records_rejected", "reason", r.code())).increment(records);
        }

        @Override
        public void committed(int messageCount, int readingCount, long commitNanos) {
            messages.increment(messageCount);
            readings.increment(readingCount);
            commits.record(commitNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void storeFailed(int attempt) {
            storeFailures.increment();
        }
    }
}
