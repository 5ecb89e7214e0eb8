package org.vitalvault.gateway.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.vitalvault.gateway.sealing.OwnerSealer;
import org.vitalvault.senml.SenmlRecord;
import org.vitalvault.senml.SenmlResult;
import org.vitalvault.reading.Reading;

/**
 * The gateway's core: decode → validate → map device to owner → seal per owner → one transaction →
 * acknowledge. Messages are acknowledged only after the transaction holding their readings
 * committed (group commit), so a crash at any point leaves every unstored message unacknowledged
 * and the broker redelivers it; duplicates that causes are dropped by the vault's reads, which
 * count each (device, metric, device time) once.
 *
 * <p>Memory is bounded: at most {@code queueCapacity} messages wait, and {@link #offer} blocks when
 * the queue is full — with the broker's Receive Maximum that stops the flow instead of growing a
 * backlog. While PostgreSQL is down the writer retries the same batch with backoff and takes no new
 * work. Rejected records are counted and their messages acknowledged with the batch: bad input
 * never blocks good input.
 */
public final class IngestPipeline {

    private static final Logger LOG = Logger.getLogger(IngestPipeline.class);

    /** How batches are cut. */
    public record Settings(int maxMessages, Duration linger, int queueCapacity, Duration maxBackoff) {
    }

    private final PayloadDecoder decoder;
    private final RecordValidator validator;
    private final DeviceDirectory directory;
    private final OwnerSealer sealer;
    private final BatchStore store;
    private final IngestListener listener;
    private final ReceiptSink receipts;
    private final RejectionLog rejectionLog;
    private final Clock clock;
    private final Settings settings;
    private final BlockingQueue<InboundMessage> queue;
    private final Thread writer;
    private volatile boolean running;

    public IngestPipeline(PayloadDecoder decoder, RecordValidator validator, DeviceDirectory directory,
                          OwnerSealer sealer, BatchStore store, IngestListener listener, ReceiptSink receipts,
                          RejectionLog rejectionLog, Clock clock, Settings settings) {
        this.decoder = decoder;
        this.validator = validator;
        this.directory = directory;
        this.sealer = sealer;
        this.store = store;
        this.listener = listener;
        this.receipts = receipts;
        this.rejectionLog = rejectionLog;
        this.clock = clock;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.writer = new Thread(this::run, "ingest-writer");
    }

    public void start() {
        running = true;
        writer.start();
    }

    /**
     * Hands a message over; blocks while the queue is full (backpressure).
     *
     * @return false when the pipeline is stopping and did not take the message (it stays unacked)
     */
    public boolean offer(InboundMessage message) throws InterruptedException {
        while (running) {
            if (queue.offer(message, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops taking work, lets the batch in flight commit (or stay unacknowledged if it cannot) and
     * returns when the writer has ended or the timeout passed.
     */
    public void stop(Duration timeout) throws InterruptedException {
        running = false;
        writer.join(timeout.toMillis());
        if (writer.isAlive()) {
            writer.interrupt();
            writer.join(1000);
        }
    }

    public int queued() {
        return queue.size();
    }

    private void run() {
        List<InboundMessage> batch = new ArrayList<>(settings.maxMessages());
        try {
            while (running || !queue.isEmpty()) {
                InboundMessage first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + settings.linger().toNanos();
                while (batch.size() < settings.maxMessages()) {
                    long left = deadline - System.nanoTime();
                    InboundMessage next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                process(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            // Shutdown timed out: what was not committed stays unacknowledged and is redelivered.
            Thread.currentThread().interrupt();
        }
    }

    private void process(List<InboundMessage> messages) throws InterruptedException {
        Instant now = clock.instant();
        BatchWork work;
        int attempt = 0;
        while (true) {
            try {
                work = new BatchWork();
                for (InboundMessage m : messages) {
                    collect(m, work);
                }
                break;
            } catch (StoreUnavailableException e) {
                backoff(++attempt, e);
            }
        }
        List<SealedBatch> sealed = new ArrayList<>(work.groups.size());
        int readings = 0;
        for (Map.Entry<GroupKey, List<Reading>> g : work.groups.entrySet()) {
            GroupKey k = g.getKey();
            sealed.add(sealer.seal(work.owners.get(k.ownerId()), k.metric(), k.bucket(), g.getValue(), now));
            readings += g.getValue().size();
        }
        List<NewEpoch> epochs = sealer.unstoredEpochs();
        attempt = 0;
        long started = System.nanoTime();
        while (!sealed.isEmpty()) {
            try {
                store.write(epochs, sealed);
                sealer.markStored(epochs);
                break;
            } catch (StoreUnavailableException e) {
                backoff(++attempt, e);
            }
        }
        long commitNanos = System.nanoTime() - started;
        UUID batchId = UUID.randomUUID();
        long committedAt = clock.millis();
        // Receipts before PUBACKs: a device that sees its receipt may delete; the broker's ack only
        // stops redelivery, which the receipt already made harmless.
        for (DeviceTally t : work.devices.values()) {
            receipts.publish(t.toReceipt(batchId, committedAt));
        }
        for (InboundMessage m : messages) {
            m.acknowledge().run();
        }
        work.rejectedByReason.forEach(listener::rejected);
        listener.committed(messages.size(), readings, commitNanos);
    }

    private void collect(InboundMessage m, BatchWork work) throws StoreUnavailableException {
        Optional<ReadingTopic> topic = ReadingTopic.parse(m.topic());
        if (topic.isEmpty()) {
            work.reject(null, m, "malformed-topic", 1);
            return;
        }
        UUID deviceId = topic.get().deviceId();
        Optional<DeviceOwner> owner = directory.lookup(deviceId);
        if (owner.isEmpty()) {
            work.reject(null, m, "unknown-device", 1);
            return;
        }
        DeviceTally tally = work.devices.computeIfAbsent(deviceId, DeviceTally::new);
        tally.messages++;
        work.owners.putIfAbsent(owner.get().ownerId(), owner.get());
        SenmlResult result = decoder.decode(m, topic.get(), owner.get());
        for (SenmlResult.RecordRejection r : result.rejections()) {
            work.reject(tally, m, r.reason(), r.count());
            tally.rejected(r.index(), r.reason(), 0);
        }
        for (SenmlRecord record : result.records()) {
            RecordValidator.Outcome outcome = validator.validate(record, m.receivedMillis());
            if (!outcome.accepted()) {
                work.reject(tally, m, outcome.rejection(), 1);
                tally.rejected(record.index(), outcome.rejection(), Math.round(record.timeSeconds() * 1000d));
                continue;
            }
            Instant bucket = Instant.ofEpochMilli(outcome.deviceTimeMillis()).truncatedTo(ChronoUnit.HOURS);
            work.groups.computeIfAbsent(new GroupKey(owner.get().ownerId(), outcome.metric().code(), bucket),
                    k -> new ArrayList<>()).add(new Reading(deviceId, outcome.deviceTimeMillis(), m.receivedMillis(),
                    outcome.canonicalValue()));
            tally.stored(outcome.deviceTimeMillis());
        }
    }

    private void backoff(int attempt, StoreUnavailableException e) throws InterruptedException {
        listener.storeFailed(attempt);
        long millis = Math.min(settings.maxBackoff().toMillis(), 50L << Math.min(attempt, 10));
        if (attempt == 1 || attempt % 20 == 0) {
            LOG.warnf("store unavailable (attempt %d, retrying in %d ms): %s", attempt, millis, e.getMessage());
        }
        if (!running && attempt > 3) {
            // Shutting down and the store is still away: leave the batch unacknowledged for redelivery.
            throw new InterruptedException("shutdown while the store is unavailable");
        }
        Thread.sleep(millis);
    }

    private record GroupKey(UUID ownerId, String metric, Instant bucket) {
    }

    /** Everything one batch collects before sealing. */
    private final class BatchWork {
        final Map<GroupKey, List<Reading>> groups = new LinkedHashMap<>();
        final Map<UUID, DeviceOwner> owners = new HashMap<>();
        final Map<UUID, DeviceTally> devices = new LinkedHashMap<>();
        final Map<String, Integer> rejectedByReason = new HashMap<>();

        void reject(DeviceTally device, InboundMessage m, String reason, int records) {
            rejectedByReason.merge(reason, records, Integer::sum);
            rejectionLog.add(new RejectionLog.Entry(m.receivedMillis(), device == null ? null : device.deviceId,
                    m.topic(), reason, records));
        }
    }

    /** One device's share of a batch, for its receipt. */
    private static final class DeviceTally {
        final UUID deviceId;
        int messages;
        int stored;
        long fromTime = Long.MAX_VALUE;
        long upToTime = Long.MIN_VALUE;
        final List<Receipt.Rejected> rejected = new ArrayList<>();
        int rejectedTotal;

        DeviceTally(UUID deviceId) {
            this.deviceId = deviceId;
        }

        void stored(long deviceTime) {
            stored++;
            fromTime = Math.min(fromTime, deviceTime);
            upToTime = Math.max(upToTime, deviceTime);
        }

        void rejected(int index, String reason, long time) {
            rejectedTotal++;
            if (rejected.size() < Receipt.MAX_LISTED) {
                rejected.add(new Receipt.Rejected(index, reason, time));
            }
        }

        Receipt toReceipt(UUID batchId, long committedAt) {
            return new Receipt(batchId, committedAt, deviceId, messages, stored, stored == 0 ? 0 : fromTime,
                    stored == 0 ? 0 : upToTime, List.copyOf(rejected), rejectedTotal);
        }
    }
}
