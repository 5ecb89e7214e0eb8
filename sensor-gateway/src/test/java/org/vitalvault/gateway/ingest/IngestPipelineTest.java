package org.vitalvault.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.X25519KeyPair;
import org.vitalvault.gateway.quota.DeviceQuotas;
import org.vitalvault.gateway.sealing.OwnerSealer;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.store.SealedBatch;
import org.vitalvault.wire.RejectionReason;
import org.vitalvault.wire.Topics;

/**
 * The pipeline's accounting between its stages: what is acknowledged, stored, refused and receipted.
 * Storage here is an in-memory {@link BatchStore} that can refuse an owner or be unavailable for a
 * while — the JDBC store itself is exercised against PostgreSQL by the deploy module's tests.
 */
class IngestPipelineTest {

    private final Map<UUID, DeviceOwner> devices = new ConcurrentHashMap<>();
    private final List<SealedBatch> stored = new CopyOnWriteArrayList<>();
    private final List<Receipt> receipts = new CopyOnWriteArrayList<>();
    private final Map<RejectionReason, Integer> rejected = new ConcurrentHashMap<>();
    private final AtomicInteger committedReadings = new AtomicInteger();
    private volatile UUID refusedOwner;
    private final AtomicInteger unavailableCalls = new AtomicInteger();

    private final AtomicInteger writes = new AtomicInteger();

    private final BatchStore store = (epochs, batches) -> {
        writes.incrementAndGet();
        if (unavailableCalls.getAndDecrement() > 0) {
            throw new StoreUnavailableException("connection refused", new SQLException("down", "08001"));
        }
        // As seal_epoch's foreign key to the owner's key: an erased owner's epoch is refused too.
        if (batches.stream().anyMatch(b -> b.ownerId().equals(refusedOwner))
                || epochs.stream().anyMatch(e -> e.ownerId().equals(refusedOwner))) {
            throw new StoreRejectedException("foreign key", new SQLException("fk", "23503"));
        }
        stored.addAll(batches);
    };

    private final RejectionLog rejectionLog = new RejectionLog(100);
    /** The quotas' clock, in nanoseconds: it stands still unless a test moves it. */
    private final AtomicLong nanos = new AtomicLong();
    /** How often the payload decoder ran. */
    private final AtomicInteger decoded = new AtomicInteger();

    private final PayloadDecoder realDecoder = new DevicePayloadDecoder(65_536, 1000);
    private final PayloadDecoder countingDecoder = (m, topic, device) -> {
        decoded.incrementAndGet();
        return realDecoder.decode(m, topic, device);
    };
    private final DeviceDirectory directory = id -> Optional.ofNullable(devices.get(id));
    private static final IngestPipeline.Settings SETTINGS =
            new IngestPipeline.Settings(50, Duration.ofMillis(2), 100, Duration.ofMillis(100));

    private final IngestPipeline pipeline = pipeline(countingDecoder, directory, new OwnerSealer(Duration.ofHours(1)),
            SETTINGS, IngestPipeline.Limits.defaults());

    private IngestPipeline pipeline(PayloadDecoder decoder, DeviceDirectory directory, ReadingSealer sealer,
                                    IngestPipeline.Settings settings, IngestPipeline.Limits limits) {
        return new IngestPipeline(
                decoder,
                new RecordValidator(MetricCatalogue.standard(), Duration.ofMinutes(5), Duration.ofDays(30)),
                directory,
                sealer,
                store,
                new IngestListener() {
                    @Override
                    public void rejected(RejectionReason reason, int records) {
                        rejected.merge(reason, records, Integer::sum);
                    }

                    @Override
                    public void committed(int messages, int readings, long commitNanos) {
                        committedReadings.addAndGet(readings);
                    }

                    @Override
                    public void storeFailed(int attempt) {
                    }
                },
                receipts::add,
                rejectionLog,
                Clock.systemUTC(),
                settings,
                limits);
    }

    /** Quotas of {@code readings}/s and {@code bytes}/s (0 = unlimited) with a one-second burst, on the test's clock. */
    private IngestPipeline withQuota(long readings, long bytes) {
        return pipeline(countingDecoder, directory, new OwnerSealer(Duration.ofHours(1)), SETTINGS,
                new IngestPipeline.Limits(32 << 20, Duration.ofSeconds(2),
                        new DeviceQuotas(readings, bytes, Duration.ofSeconds(1), nanos::get)));
    }

    private UUID pairDevice() {
        UUID ownerId = UUID.randomUUID();
        UUID deviceId = UUID.randomUUID();
        devices.put(deviceId, new DeviceOwner(ownerId, 1, X25519KeyPair.generate(new SecureRandom()).publicKey(), null, false));
        return deviceId;
    }

    private InboundMessage message(UUID deviceId, String json, CountDownLatch acked) {
        return new InboundMessage(Topics.readings(deviceId), "application/senml+json", json.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis(), acked::countDown);
    }

    private static String heartRate(int bpm) {
        return "[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":" + bpm + ",\"t\":-1}]";
    }

    /** A pack of {@code n} heart rates, one second apart. */
    private static String heartRates(int n) {
        StringBuilder pack = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            pack.append(i == 0 ? "" : ",").append("{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":")
                    .append(60 + i).append(",\"t\":-").append(n - i).append('}');
        }
        return pack.append(']').toString();
    }

    private List<Receipt> receiptsOf(UUID device) {
        return receipts.stream().filter(r -> r.deviceId().equals(device)).toList();
    }

    private Set<RejectionReason> reasonsIn(List<Receipt> list) {
        return list.stream().flatMap(r -> r.rejected().stream()).map(Receipt.Rejected::reason).collect(Collectors.toSet());
    }

    @Test
    void anOwnerPostgresqlRefusesIsRejectedWhileTheOthersInTheSameBatchAreStored() throws Exception {
        UUID good = pairDevice();
        UUID gone = pairDevice();
        refusedOwner = devices.get(gone).ownerId();
        CountDownLatch acked = new CountDownLatch(2);
        pipeline.start();
        try {
            pipeline.offer(message(good, heartRate(70), acked));
            pipeline.offer(message(gone, heartRate(71), acked));
            assertTrue(acked.await(10, TimeUnit.SECONDS), "both messages acknowledged: the refusal did not stall the pipeline");
        } finally {
            pipeline.stop(Duration.ofSeconds(5));
        }
        assertEquals(1, stored.size());
        assertEquals(devices.get(good).ownerId(), stored.get(0).ownerId());
        assertEquals(1, committedReadings.get());
        assertEquals(Map.of(RejectionReason.STORE_REFUSED, 1), rejected);
        Receipt refusedReceipt = receipts.stream().filter(r -> r.deviceId().equals(gone)).findFirst().orElseThrow();
        assertEquals(0, refusedReceipt.stored(), "a device must not be told to delete what was not stored");
        assertEquals(RejectionReason.STORE_REFUSED, refusedReceipt.rejected().get(0).reason());
        Receipt goodReceipt = receipts.stream().filter(r -> r.deviceId().equals(good)).findFirst().orElseThrow();
        assertEquals(1, goodReceipt.stored());
    }

    @Test
    void anErasedOwnersEpochDoesNotRideAlongInLaterBatches() throws Exception {
        UUID gone = pairDevice();
        UUID good = pairDevice();
        refusedOwner = devices.get(gone).ownerId();
        pipeline.start();
        try {
            CountDownLatch first = new CountDownLatch(1);
            pipeline.offer(message(gone, heartRate(70), first));
            assertTrue(first.await(10, TimeUnit.SECONDS));
            int writesBefore = writes.get();
            CountDownLatch second = new CountDownLatch(1);
            pipeline.offer(message(good, heartRate(71), second));
            assertTrue(second.await(10, TimeUnit.SECONDS));
            assertEquals(writesBefore + 1, writes.get(), "the later batch commits in one write, not owner by owner");
        } finally {
            pipeline.stop(Duration.ofSeconds(5));
        }
        assertEquals(List.of(devices.get(good).ownerId()), stored.stream().map(SealedBatch::ownerId).toList());
    }

    @Test
    void nothingIsAcknowledgedBeforeItsOwnReadingsAreStoredEvenWhileTheStoreIsUnavailable() throws Exception {
        pipeline.start();
        try {
            // Something is stored already, so "some readings were stored" would hold at every later ack.
            CountDownLatch first = new CountDownLatch(1);
            pipeline.offer(message(pairDevice(), heartRate(59), first));
            assertTrue(first.await(10, TimeUnit.SECONDS));
            unavailableCalls.set(3);
            // One owner per message: a message's readings are stored iff a batch of its owner is.
            CountDownLatch acked = new CountDownLatch(20);
            List<UUID> ackedBeforeStored = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 20; i++) {
                UUID device = pairDevice();
                UUID owner = devices.get(device).ownerId();
                pipeline.offer(new InboundMessage(Topics.readings(device), null,
                        heartRate(60 + i).getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), () -> {
                            if (stored.stream().noneMatch(b -> b.ownerId().equals(owner))) {
                                ackedBeforeStored.add(device);
                            }
                            acked.countDown();
                        }));
            }
            assertTrue(acked.await(10, TimeUnit.SECONDS));
            assertEquals(List.of(), ackedBeforeStored, "messages acknowledged before their own readings were stored");
        } finally {
            pipeline.stop(Duration.ofSeconds(5));
        }
        assertEquals(21, stored.stream().mapToInt(SealedBatch::readingCount).sum());
        assertTrue(unavailableCalls.get() < 0, "the store was retried");
    }

    @Test
    void aMessageWithBadAndGoodRecordsStoresTheGoodOnesAndNamesTheBadInItsReceipt() throws Exception {
        UUID device = pairDevice();
        CountDownLatch acked = new CountDownLatch(1);
        pipeline.start();
        try {
            pipeline.offer(message(device, "[{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":70,\"t\":-2},"
                    + "{\"n\":\"heart_rate\",\"u\":\"beat/min\",\"v\":900,\"t\":-1},"
                    + "{\"n\":\"mood\",\"v\":3,\"t\":-1}]", acked));
            assertTrue(acked.await(10, TimeUnit.SECONDS));
        } finally {
            pipeline.stop(Duration.ofSeconds(5));
        }
        assertEquals(1, committedReadings.get());
        assertEquals(Map.of(RejectionReason.OUT_OF_RANGE, 1, RejectionReason.UNKNOWN_METRIC, 1), rejected);
        Receipt receipt = receipts.get(0);
        assertEquals(1, receipt.stored());
        assertEquals(2, receipt.rejectedTotal());
        assertEquals(List.of(1, 2), receipt.rejected().stream().map(Receipt.Rejected::index).sorted().toList());
    }

    // --- fair sharing: a device's quota

    @Test
    void aDeviceOverItsQuotaIsRejectedRateLimitedAndOthersStillCommit() throws Exception {
        IngestPipeline limited = withQuota(5, 0);
        UUID flooding = pairDevice();
        UUID honest = pairDevice();
        CountDownLatch acked = new CountDownLatch(23);
        limited.start();
        try {
            for (int i = 0; i < 20; i++) {
                assertTrue(limited.offer(message(flooding, heartRate(60 + i), acked)));
            }
            for (int i = 0; i < 3; i++) {
                assertTrue(limited.offer(message(honest, heartRate(70 + i), acked)));
            }
            assertTrue(acked.await(10, TimeUnit.SECONDS), "every message acknowledged, the refused ones with their batch");
        } finally {
            limited.stop(Duration.ofSeconds(5));
        }
        assertEquals(5, receiptsOf(flooding).stream().mapToInt(Receipt::stored).sum(), "a burst of 5 readings, no more");
        assertEquals(15, receiptsOf(flooding).stream().mapToInt(Receipt::rejectedTotal).sum());
        assertEquals(Set.of(RejectionReason.RATE_LIMITED), reasonsIn(receiptsOf(flooding)));
        assertTrue(receiptsOf(flooding).stream().flatMap(r -> r.rejected().stream()).allMatch(r -> r.index() == -1),
                "the whole message is refused");
        assertEquals(3, receiptsOf(honest).stream().mapToInt(Receipt::stored).sum(), "the other device is not limited by it");
        assertEquals(Map.of(RejectionReason.RATE_LIMITED, 15), rejected);
        assertEquals(8, committedReadings.get());
    }

    @Test
    void aMessageThatWouldOverdrawTheReadingsBucketIsRejectedWholeAndItsTokensAreNotTaken() throws Exception {
        IngestPipeline limited = withQuota(5, 0);
        UUID device = pairDevice();
        limited.start();
        try {
            CountDownLatch acked = new CountDownLatch(3);
            limited.offer(message(device, heartRates(4), acked));
            limited.offer(message(device, heartRates(3), acked));
            limited.offer(message(device, heartRate(80), acked));
            assertTrue(acked.await(10, TimeUnit.SECONDS));
        } finally {
            limited.stop(Duration.ofSeconds(5));
        }
        assertEquals(5, committedReadings.get(), "4, then none of the 3, then the 1 that still fits");
        assertEquals(Map.of(RejectionReason.RATE_LIMITED, 3), rejected, "counted per record of the refused pack");
        assertEquals(5, stored.stream().mapToInt(SealedBatch::readingCount).sum());
    }

    @Test
    void theBytesQuotaIsCheckedBeforeAnyDecodingAndRefillsWithTime() throws Exception {
        int size = heartRate(70).length();
        IngestPipeline limited = withQuota(0, size * 3 / 2);
        UUID device = pairDevice();
        limited.start();
        try {
            CountDownLatch first = new CountDownLatch(2);
            limited.offer(message(device, heartRate(70), first));
            limited.offer(message(device, heartRate(71), first));
            assertTrue(first.await(10, TimeUnit.SECONDS));
            assertEquals(1, decoded.get(), "the message over the bytes quota was never decoded");
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
            CountDownLatch later = new CountDownLatch(1);
            limited.offer(message(device, heartRate(72), later));
            assertTrue(later.await(10, TimeUnit.SECONDS));
        } finally {
            limited.stop(Duration.ofSeconds(5));
        }
        assertEquals(2, committedReadings.get(), "a second later the bucket has refilled");
        assertEquals(Map.of(RejectionReason.RATE_LIMITED, 1), rejected);
        assertEquals(Set.of(RejectionReason.RATE_LIMITED), reasonsIn(receiptsOf(device)));
    }

    // --- QoS 0

    @Test
    void aQos0MessageIsRefusedWithAReason() throws Exception {
        UUID device = pairDevice();
        CountDownLatch acked = new CountDownLatch(1);
        pipeline.start();
        try {
            pipeline.offer(new InboundMessage(Topics.readings(device), "application/senml+json",
                    heartRate(70).getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), acked::countDown, 0));
            assertTrue(acked.await(10, TimeUnit.SECONDS));
        } finally {
            pipeline.stop(Duration.ofSeconds(5));
        }
        assertEquals(List.of(), stored, "nothing of a QoS 0 message is stored");
        assertEquals(0, decoded.get(), "nor is it decoded");
        assertEquals(Map.of(RejectionReason.QOS_NOT_SUPPORTED, 1), rejected);
        Receipt receipt = receiptsOf(device).get(0);
        assertEquals(0, receipt.stored());
        assertEquals(List.of(new Receipt.Rejected(-1, RejectionReason.QOS_NOT_SUPPORTED, 0)), receipt.rejected());
    }

    // --- no poison messages

    @Test
    void aMessageWhoseDecodingThrowsIsRejectedAndAcknowledgedNotRethrown() throws Exception {
        UUID poison = pairDevice();
        UUID honest = pairDevice();
        PayloadDecoder throwing = (m, topic, device) -> {
            if (topic.deviceId().equals(poison)) {
                throw new IllegalStateException("parser bug");
            }
            return realDecoder.decode(m, topic, device);
        };
        IngestPipeline p = pipeline(throwing, directory, new OwnerSealer(Duration.ofHours(1)), SETTINGS,
                IngestPipeline.Limits.defaults());
        CountDownLatch acked = new CountDownLatch(2);
        p.start();
        try {
            assertTrue(p.offer(message(poison, heartRate(70), acked)), "taken, not thrown back at the MQTT client");
            assertTrue(p.offer(message(honest, heartRate(71), acked)));
            assertTrue(acked.await(10, TimeUnit.SECONDS), "acknowledged, so the broker never redelivers it");
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(Map.of(RejectionReason.PROCESSING_FAILED, 1), rejected);
        assertEquals(Set.of(RejectionReason.PROCESSING_FAILED), reasonsIn(receiptsOf(poison)));
        assertEquals(0, receiptsOf(poison).get(0).stored());
        assertEquals(1, receiptsOf(honest).get(0).stored());
        assertEquals(RejectionReason.PROCESSING_FAILED, rejectionLog.recent().get(0).reason());
    }

    @Test
    void aDirectoryFailureOtherThanUnavailableRejectsTheMessageInsteadOfThrowing() throws Exception {
        UUID honest = pairDevice();
        UUID broken = UUID.randomUUID();
        DeviceDirectory failing = id -> {
            if (id.equals(broken)) {
                throw new IllegalArgumentException("bad row");
            }
            return directory.lookup(id);
        };
        IngestPipeline p = pipeline(countingDecoder, failing, new OwnerSealer(Duration.ofHours(1)), SETTINGS,
                IngestPipeline.Limits.defaults());
        CountDownLatch acked = new CountDownLatch(2);
        p.start();
        try {
            assertTrue(p.offer(message(broken, heartRate(70), acked)));
            assertTrue(p.offer(message(honest, heartRate(71), acked)));
            assertTrue(acked.await(10, TimeUnit.SECONDS));
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(Map.of(RejectionReason.PROCESSING_FAILED, 1), rejected);
        assertEquals(1, committedReadings.get());
    }

    @Test
    void aMessageWhosePreparationOutlastsTheDeadlineIsRejectedAfterTheFact() throws Exception {
        UUID slow = pairDevice();
        UUID honest = pairDevice();
        PayloadDecoder slowFor = (m, topic, device) -> {
            if (topic.deviceId().equals(slow)) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return realDecoder.decode(m, topic, device);
        };
        IngestPipeline p = pipeline(slowFor, directory, new OwnerSealer(Duration.ofHours(1)), SETTINGS,
                new IngestPipeline.Limits(32 << 20, Duration.ofMillis(50), DeviceQuotas.unlimited()));
        CountDownLatch acked = new CountDownLatch(2);
        p.start();
        try {
            p.offer(message(slow, heartRate(70), acked));
            p.offer(message(honest, heartRate(71), acked));
            assertTrue(acked.await(10, TimeUnit.SECONDS));
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(Map.of(RejectionReason.PROCESSING_FAILED, 1), rejected);
        assertEquals(0, receiptsOf(slow).get(0).stored(), "not stored, though it decoded in the end");
        assertEquals(1, receiptsOf(honest).get(0).stored());
    }

    @Test
    void aSealingFailureForOneOwnerDoesNotStopTheWriter() throws Exception {
        UUID broken = pairDevice();
        UUID honest = pairDevice();
        UUID brokenOwner = devices.get(broken).ownerId();
        OwnerSealer real = new OwnerSealer(Duration.ofHours(1));
        ReadingSealer failing = new ReadingSealer() {
            @Override
            public SealedBatch seal(DeviceOwner owner, String metric, java.time.Instant bucket,
                                    List<org.vitalvault.reading.Reading> readings, UUID batchId, java.time.Instant now) {
                if (owner.ownerId().equals(brokenOwner)) {
                    throw new IllegalStateException("bad owner key");
                }
                return real.seal(owner, metric, bucket, readings, batchId, now);
            }

            @Override
            public List<org.vitalvault.store.NewEpoch> unstoredEpochs() {
                return real.unstoredEpochs();
            }

            @Override
            public void markStored(List<org.vitalvault.store.NewEpoch> epochs) {
                real.markStored(epochs);
            }

            @Override
            public void discard(UUID ownerId) {
                real.discard(ownerId);
            }
        };
        // A long linger so that both devices' messages share one batch.
        IngestPipeline p = pipeline(countingDecoder, directory, failing,
                new IngestPipeline.Settings(50, Duration.ofMillis(300), 100, Duration.ofMillis(100)),
                IngestPipeline.Limits.defaults());
        p.start();
        try {
            CountDownLatch first = new CountDownLatch(2);
            p.offer(message(broken, heartRates(2), first));
            p.offer(message(honest, heartRate(71), first));
            assertTrue(first.await(10, TimeUnit.SECONDS), "the batch was committed and acknowledged");
            CountDownLatch later = new CountDownLatch(1);
            p.offer(message(honest, heartRate(72), later));
            assertTrue(later.await(10, TimeUnit.SECONDS), "the writer is still alive");
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(Map.of(RejectionReason.PROCESSING_FAILED, 2), rejected, "both of the owner's readings");
        assertEquals(0, receiptsOf(broken).stream().mapToInt(Receipt::stored).sum());
        assertEquals(Set.of(RejectionReason.PROCESSING_FAILED), reasonsIn(receiptsOf(broken)));
        assertEquals(2, receiptsOf(honest).stream().mapToInt(Receipt::stored).sum());
        assertEquals(2, committedReadings.get());
        assertTrue(stored.stream().noneMatch(b -> b.ownerId().equals(brokenOwner)));
    }

    // --- bounded memory

    @Test
    void theBytesBoundBlocksOfferUntilTheMessagesHeldAreCommitted() throws Exception {
        // Whitespace makes the payload, not its one reading, what the message weighs.
        String padded = " ".repeat(400) + heartRate(70);
        int size = padded.length();
        CountDownLatch sealing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OwnerSealer real = new OwnerSealer(Duration.ofHours(1));
        ReadingSealer stalled = new ReadingSealer() {
            @Override
            public SealedBatch seal(DeviceOwner owner, String metric, java.time.Instant bucket,
                                    List<org.vitalvault.reading.Reading> readings, UUID batchId, java.time.Instant now) {
                sealing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return real.seal(owner, metric, bucket, readings, batchId, now);
            }

            @Override
            public List<org.vitalvault.store.NewEpoch> unstoredEpochs() {
                return real.unstoredEpochs();
            }

            @Override
            public void markStored(List<org.vitalvault.store.NewEpoch> epochs) {
                real.markStored(epochs);
            }

            @Override
            public void discard(UUID ownerId) {
                real.discard(ownerId);
            }
        };
        // Room for two and a half messages' payload, and for 100 messages by count.
        IngestPipeline p = pipeline(countingDecoder, directory, stalled, SETTINGS,
                new IngestPipeline.Limits(size * 5 / 2, Duration.ofSeconds(2), DeviceQuotas.unlimited()));
        UUID device = pairDevice();
        CountDownLatch acked = new CountDownLatch(3);
        CountDownLatch thirdTaken = new CountDownLatch(1);
        p.start();
        try {
            p.offer(message(device, padded, acked));
            assertTrue(sealing.await(10, TimeUnit.SECONDS), "the writer holds the first message, sealing");
            assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> p.offer(message(device, padded, acked))),
                    "the second fits in the byte bound");
            assertEquals(2 * size, p.queuedBytes(), "the first holds its bytes until it is committed");
            Thread third = new Thread(() -> {
                try {
                    p.offer(message(device, padded, acked));
                    thirdTaken.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            third.setDaemon(true);
            third.start();
            assertTrue(!thirdTaken.await(500, TimeUnit.MILLISECONDS), "the third would exceed the bound: offer blocks");
            assertEquals(2 * size, p.queuedBytes());
            release.countDown();
            assertTrue(thirdTaken.await(10, TimeUnit.SECONDS), "taken once the first batch committed");
            assertTrue(acked.await(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(0, p.queuedBytes());
        assertEquals(3, committedReadings.get());
    }

    @Test
    void aPreparedMessageKeepsNoRawPayload() {
        for (var component : PreparedMessage.class.getRecordComponents()) {
            assertTrue(component.getType() != byte[].class && component.getType() != InboundMessage.class,
                    "a decoded message must not keep its payload alive: " + component);
        }
    }
}
