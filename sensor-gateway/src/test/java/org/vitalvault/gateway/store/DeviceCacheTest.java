package org.vitalvault.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.gateway.ingest.StoreUnavailableException;

/** The device cache in front of the database: who waits for a load, what is kept warm, and what a refresh may overwrite. */
class DeviceCacheTest {

    private static final long TTL = 10_000;
    private static final long KEEP_WARM = 3 * TTL;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Map<UUID, DeviceOwner> paired = new ConcurrentHashMap<>();
    private final List<UUID> singleLoads = new ArrayList<>();
    private final List<List<UUID>> bulkLoads = new ArrayList<>();
    private Runnable duringBulkLoad = () -> { };

    private final DeviceCache cache = new DeviceCache(new DeviceCache.Loader() {
        @Override
        public Optional<DeviceOwner> load(UUID deviceId) {
            singleLoads.add(deviceId);
            return Optional.ofNullable(paired.get(deviceId));
        }

        @Override
        public Map<UUID, DeviceOwner> loadAll(Collection<UUID> deviceIds) {
            bulkLoads.add(List.copyOf(deviceIds));
            Map<UUID, DeviceOwner> answer = new ConcurrentHashMap<>();
            deviceIds.forEach(id -> {
                if (paired.containsKey(id)) {
                    answer.put(id, paired.get(id));
                }
            });
            duringBulkLoad.run();
            return answer;
        }
    }, TTL, KEEP_WARM, 1000, now::get);

    private UUID pair() {
        UUID device = UUID.randomUUID();
        paired.put(device, new DeviceOwner(UUID.randomUUID(), 1, new byte[32], null, false));
        return device;
    }

    @Test
    void aDeviceSeenAgainWithinItsTtlIsNotLoadedAgain() throws Exception {
        UUID device = pair();
        cache.lookup(device);
        now.addAndGet(TTL / 2 - 1);
        assertTrue(cache.lookup(device).isPresent());
        assertEquals(List.of(device), singleLoads);
        assertEquals(0, cache.refreshDue(500), "nothing is due before half the ttl");
    }

    @Test
    void devicesInUseArePastHalfTheirTtlAreRefreshedInOneQueryAndNeverWaitForTheDatabase() throws Exception {
        UUID a = pair();
        UUID b = pair();
        cache.lookup(a);
        cache.lookup(b);
        now.addAndGet(TTL / 2);
        assertEquals(2, cache.refreshDue(500));
        assertEquals(1, bulkLoads.size(), "both devices in one query");
        // Each refresh restarts the entry's ttl: seen again and again, the device never loads inline.
        for (int i = 0; i < 5; i++) {
            now.addAndGet(TTL / 2);
            cache.lookup(a);
            cache.lookup(b);
            cache.refreshDue(500);
        }
        assertEquals(List.of(a, b), singleLoads);
    }

    @Test
    void aDeviceSeenLessOftenThanItsTtlStaysWarmWhileItKeepsPublishing() throws Exception {
        UUID device = pair();
        cache.lookup(device);
        // Seen every 1.5 ttl (a gateway slower than its device count over the ttl), refreshed every half ttl.
        for (int i = 0; i < 6; i++) {
            now.addAndGet(TTL / 2);
            cache.refreshDue(500);
            if (i % 3 == 2) {
                assertTrue(cache.lookup(device).isPresent());
            }
        }
        assertEquals(List.of(device), singleLoads);
    }

    @Test
    void aDeviceQuietForLongerThanKeepWarmIsNoLongerRefreshed() throws Exception {
        UUID device = pair();
        cache.lookup(device);
        now.addAndGet(KEEP_WARM + 1);
        assertEquals(0, cache.refreshDue(500));
        assertTrue(bulkLoads.isEmpty());
        cache.lookup(device);
        assertEquals(List.of(device, device), singleLoads, "loaded inline once it is back");
    }

    @Test
    void anUnknownDeviceIsCachedForItsTtlButNotKeptWarm() throws Exception {
        UUID madeUp = UUID.randomUUID();
        assertTrue(cache.lookup(madeUp).isEmpty());
        now.addAndGet(TTL / 2);
        assertTrue(cache.lookup(madeUp).isEmpty());
        assertEquals(0, cache.refreshDue(500));
        assertEquals(List.of(madeUp), singleLoads);
        assertTrue(bulkLoads.isEmpty());
    }

    @Test
    void preloadedDevicesAnswerWithoutALoadButAreKeptWarmOnlyOnceTheyPublish() throws Exception {
        UUID publishing = pair();
        UUID quiet = pair();
        UUID alreadyCached = pair();
        cache.lookup(alreadyCached);
        DeviceOwner stale = new DeviceOwner(UUID.randomUUID(), 9, new byte[32], null, false);
        assertEquals(2, cache.preload(Map.of(publishing, paired.get(publishing), quiet, paired.get(quiet),
                alreadyCached, stale), now.get()));
        assertEquals(paired.get(alreadyCached), cache.lookup(alreadyCached).orElseThrow(), "preload never overwrites");

        assertTrue(cache.lookup(publishing).isPresent());
        assertEquals(List.of(alreadyCached), singleLoads);
        now.addAndGet(TTL / 2);
        assertEquals(2, cache.refreshDue(500));
        assertEquals(2, bulkLoads.get(0).size());
        assertTrue(bulkLoads.get(0).containsAll(List.of(publishing, alreadyCached)), "not the quiet one");
    }

    @Test
    void anEntryIsNeverServedOlderThanItsTtlWhenNoRefreshRan() throws Exception {
        UUID device = pair();
        cache.lookup(device);
        paired.remove(device);
        now.addAndGet(TTL);
        assertTrue(cache.lookup(device).isEmpty(), "loaded inline, and the device is gone");
        assertEquals(List.of(device, device), singleLoads);
    }

    @Test
    void anUnpairingDuringARefreshIsNotUndoneByTheRefreshsOlderAnswer() throws Exception {
        UUID device = pair();
        cache.lookup(device);
        now.addAndGet(TTL / 2);
        // The refresh read the device as paired; the unpairing notification arrives before it puts.
        duringBulkLoad = () -> {
            paired.remove(device);
            cache.invalidate(device);
        };
        assertEquals(0, cache.refreshDue(500));
        assertTrue(cache.lookup(device).isEmpty());
    }

    @Test
    void aRefreshThatFailsLeavesTheEntryToExpireAndLoadInline() throws Exception {
        DeviceCache failing = new DeviceCache(new DeviceCache.Loader() {
            @Override
            public Optional<DeviceOwner> load(UUID deviceId) {
                singleLoads.add(deviceId);
                return Optional.of(new DeviceOwner(UUID.randomUUID(), 1, new byte[32], null, false));
            }

            @Override
            public Map<UUID, DeviceOwner> loadAll(Collection<UUID> deviceIds) throws StoreUnavailableException {
                throw new StoreUnavailableException("down", new SQLException());
            }
        }, TTL, KEEP_WARM, 1000, now::get);
        UUID device = UUID.randomUUID();
        failing.lookup(device);
        now.addAndGet(TTL / 2);
        assertEquals(-1, failing.refreshDue(500));
        now.addAndGet(TTL / 2);
        failing.lookup(device);
        assertEquals(List.of(device, device), singleLoads);
    }
}
