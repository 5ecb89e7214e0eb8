package org.vitalvault.gateway.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.vitalvault.gateway.quota.DeviceQuotas;
import org.vitalvault.reading.Reading;
import org.vitalvault.senml.SenmlRecord;
import org.vitalvault.senml.SenmlResult;
import org.vitalvault.store.NewEpoch;
import org.vitalvault.store.SealedBatch;
import org.vitalvault.wire.RejectionReason;

/**
 * The gateway's core, in three stages that overlap:
 * <ol>
 *   <li>{@link #offer} (the MQTT callback thread): resolve the device, authenticate and decode the
 *       payload, validate every record;</li>
 *   <li>the writer thread: cut batches (size or linger), group readings by owner, metric and hour,
 *       seal each group to its owner's key;</li>
 *   <li>the committer thread: one transaction per batch, then receipts, then acknowledgements.</li>
 * </ol>
 * While batch N commits, batch N+1 is being sealed and the messages of N+2 decoded — with one
 * reading per message the per-message work would otherwise sit in series with every commit.
 *
 * <p>Messages are acknowledged only after the transaction holding their readings committed (group
 * commit), in arrival order, so a crash at any point leaves every unstored message unacknowledged
 * and the broker redelivers it; duplicates that causes are dropped by the vault's reads, which count
 * each (device, metric, device time) once.
 *
 * <p>Memory is bounded: at most {@code queueCapacity} decoded messages wait, one sealed batch waits
 * for the committer, all messages taken and not yet committed hold at most
 * {@link Limits#maxQueuedBytes} (a decoded message keeps no payload, only its readings), and
 * {@link #offer} blocks when either bound is reached — that stops the MQTT client reading instead of
 * growing a backlog. While PostgreSQL is down the committer retries the same batch with backoff and
 * everything behind it waits. A write PostgreSQL refuses for good (an owner erased mid-flight) is
 * retried owner by owner; the refused owners' readings are rejected with {@code store-refused}.
 * Rejected records are counted and their messages acknowledged with the batch: bad input never
 * blocks good input.
 *
 * <p>Hostile input costs bounded work and never blocks others (docs/decisions/028): a device over
 * its quota ({@link DeviceQuotas}) or publishing with QoS 0 is refused before its payload is
 * decoded; a message whose preparation throws or outlasts the processing deadline, or whose owner's
 * sealing fails, is refused {@code processing-failed}. Refused messages are receipted, counted and
 * acknowledged with their batch like any other, so the broker never redelivers them.
 */
public final class IngestPipeline {

    private static final Logger LOG = Logger.getLogger(IngestPipeline.class);

    /** How batches are cut. */
    public record Settings(int maxMessages, Duration linger, int queueCapacity, Duration maxBackoff) {
    }

    /**
     * What one device and one message may cost.
     *
     * @param maxQueuedBytes     bytes of the messages taken and not yet committed (their payload size, or
     *                           their decoded readings' if larger; refused messages hold none); beyond it
     *                           {@link #offer} blocks
     * @param processingDeadline a message whose decoding and validation took longer is rejected
     *                           {@code processing-failed}
     * @param quotas             each device's readings/s and bytes/s
     */
    public record Limits(int maxQueuedBytes, Duration processingDeadline, DeviceQuotas quotas) {

        /** 32 MiB queued, a 2 s deadline, no device quota. */
        public static Limits defaults() {
            return new Limits(32 * 1024 * 1024, Duration.ofSeconds(2), DeviceQuotas.unlimited());
        }
    }

    private static final long WAIT_FOR_COMMITTER_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /**
     * Heap a decoded reading holds until its batch commits: its {@link PreparedMessage.Accepted}
     * (32 bytes with compressed references) and its list slot, then its {@link Reading} in the batch.
     */
    private static final int HELD_BYTES_PER_READING = 64;

    private final PayloadDecoder decoder;
    private final RecordValidator validator;
    private final DeviceDirectory directory;
    private final ReadingSealer sealer;
    private final BatchStore store;
    private final IngestListener listener;
    private final ReceiptSink receipts;
    private final RejectionLog rejectionLog;
    private final ActivitySink activity;
    private final Clock clock;
    private final Settings settings;
    private final Limits limits;
    private final BlockingQueue<PreparedMessage> queue;
    /** Bytes the pipeline may still take: {@link Limits#maxQueuedBytes} minus those of the messages it holds. */
    private final Semaphore heldBytes;
    private final DeviceQuotas quotas;
    private final long deadlineNanos;
    private final FailureLog failureLog = new FailureLog();
    private final BlockingQueue<SealedWork> sealedQueue = new ArrayBlockingQueue<>(1);
    private final Thread writer;
    private final Thread committer;
    private volatile boolean running;
    private volatile boolean writerDone;

    public IngestPipeline(PayloadDecoder decoder, RecordValidator validator, DeviceDirectory directory,
                          ReadingSealer sealer, BatchStore store, IngestListener listener, ReceiptSink receipts,
                          RejectionLog rejectionLog, Clock clock, Settings settings) {
        this(decoder, validator, directory, sealer, store, listener, receipts, rejectionLog, clock, settings,
                Limits.defaults());
    }

    public IngestPipeline(PayloadDecoder decoder, RecordValidator validator, DeviceDirectory directory,
                          ReadingSealer sealer, BatchStore store, IngestListener listener, ReceiptSink receipts,
                          RejectionLog rejectionLog, Clock clock, Settings settings, Limits limits) {
        this(decoder, validator, directory, sealer, store, listener, receipts, rejectionLog, ActivitySink.NONE, clock,
                settings, limits);
    }

    /**
     * @param activity told, after each commit, what happened to each paired device's messages (the
     *                 owner's device activity, decision 048); called on the committer thread, so it
     *                 must only count in memory
     */
    public IngestPipeline(PayloadDecoder decoder, RecordValidator validator, DeviceDirectory directory,
                          ReadingSealer sealer, BatchStore store, IngestListener listener, ReceiptSink receipts,
                          RejectionLog rejectionLog, ActivitySink activity, Clock clock, Settings settings,
                          Limits limits) {
        this.limits = limits;
        this.activity = activity;
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
        this.heldBytes = new Semaphore(limits.maxQueuedBytes());
        this.quotas = limits.quotas();
        this.deadlineNanos = limits.processingDeadline().toNanos();
        this.writer = new Thread(this::runWriter, "ingest-writer");
        this.committer = new Thread(this::runCommitter, "ingest-committer");
    }

    public void start() {
        running = true;
        writer.start();
        committer.start();
    }

    /**
     * Decodes and validates a message on the calling thread, then hands it over; blocks while the
     * queue is full (backpressure) and while the device directory cannot be read (PostgreSQL down).
     *
     * @return false when the pipeline is stopping and did not take the message (it stays unacked)
     */
    public boolean offer(InboundMessage message) throws InterruptedException {
        PreparedMessage prepared = null;
        int attempt = 0;
        while (prepared == null) {
            if (!running) {
                return false;
            }
            try {
                prepared = prepare(message);
            } catch (StoreUnavailableException e) {
                backoff(++attempt, e);
            }
        }
        // The bytes bound, then the count bound; both block (backpressure), neither drops.
        int bytes = prepared.queuedBytes();
        while (!heldBytes.tryAcquire(bytes, 100, TimeUnit.MILLISECONDS)) {
            if (!running) {
                return false;
            }
        }
        while (running) {
            if (queue.offer(prepared, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        heldBytes.release(bytes);
        return false;
    }

    /**
     * Stops taking work, lets the batches in flight commit (or stay unacknowledged if they cannot)
     * and returns when both threads have ended or the timeout passed.
     */
    public void stop(Duration timeout) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        writer.join(Math.max(1, timeout.toMillis()));
        committer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        for (Thread t : List.of(writer, committer)) {
            if (t.isAlive()) {
                t.interrupt();
                t.join(1000);
            }
        }
    }

    public int queued() {
        return queue.size();
    }

    /** Bytes held by the messages taken and not yet committed (see {@link Limits#maxQueuedBytes}). */
    public long queuedBytes() {
        return limits.maxQueuedBytes() - heldBytes.availablePermits();
    }

    /**
     * The per-message work, in order of cost: topic, device, QoS, the bytes quota (before any
     * decoding, so a device over its quota costs a map lookup), then MAC and SenML, the readings
     * quota, validation. Never throws but for {@link StoreUnavailableException}: any other failure
     * rejects the message {@code processing-failed}, so that it is acknowledged with its batch
     * instead of reaching the MQTT client, which would drop the connection and get the same message
     * again, for ever (a poison message).
     */
    PreparedMessage prepare(InboundMessage m) throws StoreUnavailableException {
        UUID deviceId = null;
        DeviceOwner owner = null;
        try {
            Optional<ReadingTopic> topic = ReadingTopic.parse(m.topic());
            if (topic.isEmpty()) {
                return wholeMessageRejected(m, null, null, RejectionReason.MALFORMED_TOPIC, 1);
            }
            deviceId = topic.get().deviceId();
            Optional<DeviceOwner> found = directory.lookup(deviceId);
            if (found.isEmpty()) {
                return wholeMessageRejected(m, deviceId, null, RejectionReason.UNKNOWN_DEVICE, 1);
            }
            owner = found.get();
            // From here on the device gets a receipt. QoS 0 and the bytes quota cost no decoding; a
            // quota is asked only for a paired device, so made-up ids cannot grow the quota map.
            if (m.qos() == 0) {
                return wholeMessageRejected(m, deviceId, owner, RejectionReason.QOS_NOT_SUPPORTED, 1);
            }
            if (quotas.readingsExhausted(deviceId) || !quotas.tryTakeBytes(deviceId, m.payload().length)) {
                return wholeMessageRejected(m, deviceId, owner, RejectionReason.RATE_LIMITED, 1);
            }
            // The deadline covers the work whose cost the payload decides (the directory's cost is
            // PostgreSQL's, and waits for it are retried above). That work is bounded by the
            // decoders' limits (bytes, records, header labels, depth), so the deadline does not
            // interrupt it: a message that took too long is refused after the fact, with the same
            // effect for the device, and counted, so an operator sees what the limits let through.
            long started = System.nanoTime();
            SenmlResult result = decoder.decode(m, topic.get(), owner);
            if (!quotas.tryTakeReadings(deviceId, result.records().size())) {
                // The whole message, and none of its readings taken: it is sent again later, whole.
                return wholeMessageRejected(m, deviceId, owner, RejectionReason.RATE_LIMITED, result.records().size());
            }
            PreparedMessage prepared = validated(m, deviceId, owner, result);
            if (System.nanoTime() - started > deadlineNanos) {
                failureLog.deadline(m.topic(), System.nanoTime() - started);
                return wholeMessageRejected(m, deviceId, owner, RejectionReason.PROCESSING_FAILED, 1);
            }
            for (PreparedMessage.Rejected r : prepared.rejected()) {
                rejectionLog.add(new RejectionLog.Entry(m.receivedMillis(), deviceId, m.topic(), r.reason(),
                        r.records()));
            }
            return prepared;
        } catch (RuntimeException | StackOverflowError e) {
            // A stack overflow is the one Error a message can cause that leaves the JVM sound (the
            // stack unwinds); anything else (out of memory) is not the message's to absorb.
            failureLog.exception(m.topic(), e);
            return wholeMessageRejected(m, deviceId, owner, RejectionReason.PROCESSING_FAILED, 1);
        }
    }

    private PreparedMessage validated(InboundMessage m, UUID deviceId, DeviceOwner owner, SenmlResult result) {
        List<PreparedMessage.Accepted> accepted = new ArrayList<>(result.records().size());
        List<PreparedMessage.Rejected> rejected = new ArrayList<>(result.rejections().size());
        for (SenmlResult.RecordRejection r : result.rejections()) {
            rejected.add(new PreparedMessage.Rejected(r.index(), r.reason(), r.count(), 0));
        }
        for (SenmlRecord record : result.records()) {
            RecordValidator.Outcome outcome = validator.validate(record, m.receivedMillis());
            if (outcome.accepted()) {
                accepted.add(new PreparedMessage.Accepted(outcome.metric().code(), outcome.deviceTimeMillis(),
                        outcome.canonicalValue()));
            } else {
                rejected.add(new PreparedMessage.Rejected(record.index(), outcome.rejection(), 1,
                        Math.round(record.timeSeconds() * 1000d)));
            }
        }
        return new PreparedMessage(m.acknowledge(), m.receivedMillis(), bytesHeld(m, accepted.size()), deviceId, owner,
                accepted, rejected);
    }

    /**
     * A message refused whole. With an owner, the device gets the reason in its receipt; without
     * (malformed topic, unknown device) only the counter and the rejection log see it.
     */
    private PreparedMessage wholeMessageRejected(InboundMessage m, UUID deviceId, DeviceOwner owner,
                                                 RejectionReason reason, int records) {
        rejectionLog.add(new RejectionLog.Entry(m.receivedMillis(), deviceId, m.topic(), reason, records));
        // It holds no readings, so it costs the byte bound nothing: a refused flood must not crowd out others.
        return new PreparedMessage(m.acknowledge(), m.receivedMillis(), 0, deviceId, owner, List.of(),
                List.of(new PreparedMessage.Rejected(-1, reason, records, 0)));
    }

    /**
     * What a decoded message counts against {@link Limits#maxQueuedBytes}: its payload size, or its
     * readings' size in memory when that is larger (compact CBOR decodes to more than it weighs),
     * capped at the bound so that a message larger than the bound still passes, alone.
     */
    private int bytesHeld(InboundMessage m, int readings) {
        long held = Math.max(m.payload().length, (long) readings * HELD_BYTES_PER_READING);
        return (int) Math.min(held, limits.maxQueuedBytes());
    }

    private void runWriter() {
        List<PreparedMessage> batch = new ArrayList<>(settings.maxMessages());
        try {
            while (running || !queue.isEmpty()) {
                PreparedMessage first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + settings.linger().toNanos();
                while (batch.size() < settings.maxMessages()) {
                    long left = deadline - System.nanoTime();
                    // After the linger, cut as soon as the committer can take the batch and nothing
                    // else is waiting. While a sealed batch still waits for the committer, or messages
                    // wait in the queue, keep gathering: under load, fewer and fuller commits, and
                    // fewer sealed rows (one per owner, metric and hour in a batch).
                    if (left <= 0 && sealedQueue.isEmpty() && queue.isEmpty()) {
                        break;
                    }
                    PreparedMessage next = queue.poll(Math.max(left, WAIT_FOR_COMMITTER_NANOS), TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                sealedQueue.put(seal(batch));
                batch = new ArrayList<>(settings.maxMessages());
            }
        } catch (InterruptedException e) {
            // Shutdown timed out: what was not committed stays unacknowledged and is redelivered.
            Thread.currentThread().interrupt();
        } finally {
            writerDone = true;
        }
    }

    private SealedWork seal(List<PreparedMessage> messages) {
        Instant now = clock.instant();
        Map<GroupKey, List<Reading>> groups = new LinkedHashMap<>();
        Map<UUID, DeviceOwner> owners = new HashMap<>();
        Map<UUID, DeviceTally> devices = new LinkedHashMap<>();
        Map<RejectionReason, Integer> rejectedByReason = new EnumMap<>(RejectionReason.class);
        for (PreparedMessage p : messages) {
            DeviceTally tally = null;
            if (p.owner() != null) {
                UUID ownerId = p.owner().ownerId();
                tally = devices.computeIfAbsent(p.deviceId(), d -> new DeviceTally(d, ownerId));
                tally.messages++;
                tally.lastReceivedMillis = Math.max(tally.lastReceivedMillis, p.receivedMillis());
                owners.putIfAbsent(p.owner().ownerId(), p.owner());
            }
            for (PreparedMessage.Rejected r : p.rejected()) {
                rejectedByReason.merge(r.reason(), r.records(), Integer::sum);
                if (tally != null) {
                    tally.rejected(r.index(), r.reason(), r.time(), r.records());
                }
            }
            for (PreparedMessage.Accepted a : p.accepted()) {
                long bucket = Math.floorDiv(a.deviceTimeMillis(), 3_600_000L) * 3_600_000L;
                groups.computeIfAbsent(new GroupKey(p.owner().ownerId(), a.metric(), bucket), k -> new ArrayList<>())
                        .add(new Reading(p.deviceId(), a.deviceTimeMillis(), p.receivedMillis(), a.value()));
                tally.stored(a.deviceTimeMillis());
            }
        }
        // One id for the whole gateway batch: its rows (one per owner, metric and hour) and its receipts.
        UUID batchId = UUID.randomUUID();
        List<SealedBatch> sealed = new ArrayList<>(groups.size());
        int readings = 0;
        Set<UUID> failedOwners = null;
        for (Map.Entry<GroupKey, List<Reading>> g : groups.entrySet()) {
            GroupKey k = g.getKey();
            if (failedOwners != null && failedOwners.contains(k.ownerId())) {
                continue;
            }
            try {
                sealed.add(sealer.seal(owners.get(k.ownerId()), k.metric(), Instant.ofEpochMilli(k.bucket()),
                        g.getValue(), batchId, now));
                readings += g.getValue().size();
            } catch (RuntimeException e) {
                // One owner's failure (a broken key, a bug) must not kill the writer, which would stall
                // every device: that owner's readings of this batch are refused, the rest commits.
                if (failedOwners == null) {
                    failedOwners = new HashSet<>();
                }
                failedOwners.add(k.ownerId());
                failureLog.sealing(k.ownerId(), e);
            }
        }
        if (failedOwners != null) {
            readings -= unseal(failedOwners, sealed, devices, rejectedByReason);
        }
        return new SealedWork(batchId, messages, sealed, sealer.unstoredEpochs(), devices, rejectedByReason, readings);
    }

    /**
     * Takes the failed owners' already sealed groups out of the batch, forgets their epochs (none is
     * stored without rows, and the next batch starts afresh) and turns their devices' stored readings
     * into {@code processing-failed}. Returns how many readings were taken out.
     */
    private int unseal(Set<UUID> failedOwners, List<SealedBatch> sealed, Map<UUID, DeviceTally> devices,
                       Map<RejectionReason, Integer> rejectedByReason) {
        int removed = 0;
        for (java.util.Iterator<SealedBatch> it = sealed.iterator(); it.hasNext(); ) {
            SealedBatch b = it.next();
            if (failedOwners.contains(b.ownerId())) {
                removed += b.readingCount();
                it.remove();
            }
        }
        failedOwners.forEach(sealer::discard);
        for (DeviceTally t : devices.values()) {
            if (failedOwners.contains(t.ownerId)) {
                rejectedByReason.merge(RejectionReason.PROCESSING_FAILED, t.stored, Integer::sum);
                t.notStored(RejectionReason.PROCESSING_FAILED);
            }
        }
        return removed;
    }

    private void runCommitter() {
        try {
            while (!writerDone || !sealedQueue.isEmpty()) {
                SealedWork work = sealedQueue.poll(100, TimeUnit.MILLISECONDS);
                if (work != null) {
                    commit(work);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commit(SealedWork work) throws InterruptedException {
        long started = System.nanoTime();
        Set<UUID> refusedOwners = Set.of();
        if (!work.sealed.isEmpty()) {
            try {
                write(work.epochs, work.sealed);
            } catch (StoreRejectedException e) {
                refusedOwners = writeOwnerByOwner(work, e);
            }
        }
        int readings = work.readings;
        long commitNanos = System.nanoTime() - started;
        UUID batchId = work.batchId;
        long committedAt = clock.millis();
        // Receipts before PUBACKs: a device that sees its receipt may delete; the broker's ack only
        // stops redelivery, which the receipt already made harmless.
        for (DeviceTally t : work.devices.values()) {
            if (refusedOwners.contains(t.ownerId)) {
                readings -= t.stored;
                t.refused();
            }
            receipts.publish(t.toReceipt(batchId, committedAt));
            recordActivity(t);
        }
        int bytes = 0;
        for (PreparedMessage m : work.messages) {
            m.acknowledge().run();
            bytes += m.queuedBytes();
        }
        heldBytes.release(bytes);
        work.rejectedByReason.forEach(listener::rejected);
        listener.committed(work.messages.size(), readings, commitNanos);
    }

    /**
     * Hands a device's share of the committed batch to the activity counts. Never lets a failure
     * there reach the committer: activity is the owner's view, readings are the owner's data.
     */
    private void recordActivity(DeviceTally t) {
        try {
            activity.record(t.ownerId, t.deviceId, t.lastReceivedMillis, t.stored, t.byReason);
        } catch (RuntimeException e) {
            failureLog.activity(e);
        }
    }

    /** Writes with retries while PostgreSQL is unavailable; a refusal is passed on. */
    private void write(List<NewEpoch> epochs, List<SealedBatch> sealed) throws InterruptedException, StoreRejectedException {
        int attempt = 0;
        while (true) {
            try {
                store.write(epochs, sealed);
                sealer.markStored(epochs);
                return;
            } catch (StoreUnavailableException e) {
                backoff(++attempt, e);
            }
        }
    }

    /** After a refusal: one transaction per owner. Returns the owners whose readings were refused. */
    private Set<UUID> writeOwnerByOwner(SealedWork work, StoreRejectedException cause) throws InterruptedException {
        LOG.warnf("batch refused by PostgreSQL (%s); writing owner by owner", cause.getMessage());
        Map<UUID, List<SealedBatch>> byOwner = new LinkedHashMap<>();
        work.sealed.forEach(b -> byOwner.computeIfAbsent(b.ownerId(), o -> new ArrayList<>()).add(b));
        Set<UUID> refused = new HashSet<>();
        for (Map.Entry<UUID, List<SealedBatch>> e : byOwner.entrySet()) {
            List<NewEpoch> epochs = work.epochs.stream().filter(n -> n.ownerId().equals(e.getKey())).toList();
            try {
                write(epochs, e.getValue());
            } catch (StoreRejectedException again) {
                int count = e.getValue().stream().mapToInt(SealedBatch::readingCount).sum();
                refused.add(e.getKey());
                sealer.discard(e.getKey());
                work.rejectedByReason.merge(RejectionReason.STORE_REFUSED, count, Integer::sum);
                // Owner ids are not health data; the reason is for the operator, the count for metrics.
                LOG.warnf("readings of owner %s refused by PostgreSQL (%s): %d dropped", e.getKey(),
                        again.getMessage(), count);
            }
        }
        return refused;
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

    /**
     * Logs processing failures without a byte of the payload (an exception's message may quote it,
     * so only its class and where it was thrown are logged), at most one line a second: a device
     * sending poison at its quota must not flood the log. The counters count every one.
     */
    private static final class FailureLog {
        private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
        private final AtomicLong next = new AtomicLong(System.nanoTime());
        private final AtomicLong suppressed = new AtomicLong();

        void exception(String topic, Throwable e) {
            if (due()) {
                StackTraceElement[] at = e.getStackTrace();
                LOG.warnf("message on %s rejected (processing-failed): %s at %s%s", topic, e.getClass().getName(),
                        at.length == 0 ? "?" : at[0], suppressedSince());
            }
        }

        void deadline(String topic, long tookNanos) {
            if (due()) {
                LOG.warnf("message on %s rejected (processing-failed): took %d ms, over the processing deadline%s",
                        topic, TimeUnit.NANOSECONDS.toMillis(tookNanos), suppressedSince());
            }
        }

        void activity(Throwable e) {
            if (due()) {
                LOG.warnf("device activity not counted: %s%s", e.getClass().getName(), suppressedSince());
            }
        }

        void sealing(UUID ownerId, Throwable e) {
            // Not throttled: at most once per owner and batch. Owner ids are not health data.
            StackTraceElement[] at = e.getStackTrace();
            LOG.errorf("sealing failed for owner %s: %s at %s; the owner's readings of this batch are rejected"
                    + " (processing-failed)", ownerId, e.getClass().getName(), at.length == 0 ? "?" : at[0]);
        }

        private boolean due() {
            long now = System.nanoTime();
            long n = next.get();
            if (now - n >= 0 && next.compareAndSet(n, now + EVERY_NANOS)) {
                return true;
            }
            suppressed.incrementAndGet();
            return false;
        }

        private String suppressedSince() {
            long s = suppressed.getAndSet(0);
            return s == 0 ? "" : " (" + s + " more since the last line)";
        }
    }

    private record GroupKey(UUID ownerId, String metric, long bucket) {
    }

    /** A sealed batch on its way to the committer. */
    private record SealedWork(UUID batchId, List<PreparedMessage> messages, List<SealedBatch> sealed, List<NewEpoch> epochs,
                              Map<UUID, DeviceTally> devices, Map<RejectionReason, Integer> rejectedByReason, int readings) {
    }

    /** One device's share of a batch, for its receipt. */
    private static final class DeviceTally {
        final UUID deviceId;
        final UUID ownerId;
        int messages;
        int stored;
        long fromTime = Long.MAX_VALUE;
        long upToTime = Long.MIN_VALUE;
        final List<Receipt.Rejected> rejected = new ArrayList<>();
        /** Every rejected record by reason (the receipt lists only the first {@link Receipt#MAX_LISTED}). */
        final Map<RejectionReason, Integer> byReason = new EnumMap<>(RejectionReason.class);
        long lastReceivedMillis = Long.MIN_VALUE;
        int rejectedTotal;

        DeviceTally(UUID deviceId, UUID ownerId) {
            this.deviceId = deviceId;
            this.ownerId = ownerId;
        }

        /** PostgreSQL refused the owner's rows: nothing of this device's share was stored. */
        void refused() {
            notStored(RejectionReason.STORE_REFUSED);
        }

        /** Nothing of this device's share was stored, for this reason. */
        void notStored(RejectionReason reason) {
            if (stored > 0) {
                rejected(-1, reason, 0, stored);
            }
            stored = 0;
        }

        void stored(long deviceTime) {
            stored++;
            fromTime = Math.min(fromTime, deviceTime);
            upToTime = Math.max(upToTime, deviceTime);
        }

        void rejected(int index, RejectionReason reason, long time, int records) {
            rejectedTotal += records;
            byReason.merge(reason, records, Integer::sum);
            if (rejected.size() < Receipt.MAX_LISTED) {
                rejected.add(new Receipt.Rejected(index, reason, time));
            }
        }

        Receipt toReceipt(UUID batchId, long committedAt) {
            return new Receipt(batchId, committedAt, deviceId, 1, messages, stored, stored == 0 ? 0 : fromTime,
                    stored == 0 ? 0 : upToTime, List.copyOf(rejected), rejectedTotal);
        }
    }
}
