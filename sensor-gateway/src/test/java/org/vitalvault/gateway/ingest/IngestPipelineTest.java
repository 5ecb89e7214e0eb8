package org.vitalvault.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vitalvault.crypto.X25519KeyPair;
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

    private final IngestPipeline pipeline = new IngestPipeline(
            new DevicePayloadDecoder(65_536, 1000),
            new RecordValidator(MetricCatalogue.standard(), Duration.ofMinutes(5), Duration.ofDays(30)),
            id -> Optional.ofNullable(devices.get(id)),
            new OwnerSealer(Duration.ofHours(1)),
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
            new RejectionLog(100),
            Clock.systemUTC(),
            new IngestPipeline.Settings(50, Duration.ofMillis(2), 100, Duration.ofMillis(100)));

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
}
