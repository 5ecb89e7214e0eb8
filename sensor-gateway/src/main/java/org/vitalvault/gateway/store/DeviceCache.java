package org.vitalvault.gateway.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.gateway.ingest.StoreUnavailableException;

/**
 * The device → owner cache behind {@link JdbcDeviceDirectory}, kept warm by a background refresher.
 *
 * <p>An entry is never served older than {@code ttl}: past it, {@link #lookup} loads on the calling
 * thread, as a plain TTL cache does. But the refresher ({@link #refreshDue}) reloads, in bulk
 * queries, every entry that is past half its ttl and was looked up within the last
 * {@code keepWarm}, so a paired device that keeps publishing never waits for the database after its
 * first message — even one that publishes less often than once per ttl. Unknown and unpaired
 * devices are cached for a ttl but not refreshed.
 *
 * <p>Why (docs/decisions/032): the caller is the gateway's single MQTT callback thread. With a
 * plain TTL cache the devices seen in one burst expired in one burst a ttl later and the callback
 * thread made one database round trip per device in series; on a saturated machine a round trip
 * waits for a core (10–100 ms), so ingest stalled every ttl. Worse, once the gateway took longer
 * than the ttl to see every device again, every message missed the cache and the gateway could
 * not get out of it: 1,000 devices at ~14 ms per lookup is 70 messages/s, below the 100/s it takes
 * to see each device once per 10 s ttl.
 *
 * <p>An invalidation (the device was unpaired) replaces the entry; a refresh already running for
 * it does not put its older answer back (it replaces only the very entry it read).
 */
final class DeviceCache {

    /** Loads devices; a device missing from a bulk answer is unknown or unpaired. */
    interface Loader {
        Optional<DeviceOwner> load(UUID deviceId) throws StoreUnavailableException;

        Map<UUID, DeviceOwner> loadAll(Collection<UUID> deviceIds) throws StoreUnavailableException;
    }

    private final Loader loader;
    private final LongSupplier nanoTime;
    private final long ttlNanos;
    private final long refreshAfterNanos;
    private final long keepWarmNanos;
    private final int maxEntries;
    private final ConcurrentHashMap<UUID, Entry> cache = new ConcurrentHashMap<>();

    /**
     * @param keepWarmNanos how long after its last lookup a device's entry is still refreshed
     */
    DeviceCache(Loader loader, long ttlNanos, long keepWarmNanos, int maxEntries, LongSupplier nanoTime) {
        this.loader = loader;
        this.ttlNanos = ttlNanos;
        this.refreshAfterNanos = ttlNanos / 2;
        this.keepWarmNanos = keepWarmNanos;
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    Optional<DeviceOwner> lookup(UUID deviceId) throws StoreUnavailableException {
        long now = nanoTime.getAsLong();
        Entry cached = cache.get(deviceId);
        if (cached != null && now - cached.loadedAt < ttlNanos) {
            cached.lastUsed = now;
            return cached.owner;
        }
        Optional<DeviceOwner> owner = loader.load(deviceId);
        put(deviceId, new Entry(owner, now, now));
        return owner;
    }

    /** The device was unpaired: it resolves to nothing from now on, for a whole ttl. */
    void invalidate(UUID deviceId) {
        long now = nanoTime.getAsLong();
        put(deviceId, new Entry(Optional.empty(), now, now));
    }

    /**
     * Reloads, in one bulk query, up to {@code max} entries of paired devices past half their ttl
     * that were looked up within {@code keepWarm}, and puts the answers back where the entry is still the one read
     * before the query. On failure nothing changes: the entries expire and load on the lookup path.
     *
     * @return how many entries were refreshed (0: none was due), -1 when the load failed
     */
    int refreshDue(int max) {
        long now = nanoTime.getAsLong();
        Map<UUID, Entry> due = new java.util.HashMap<>();
        for (Map.Entry<UUID, Entry> e : cache.entrySet()) {
            Entry entry = e.getValue();
            // Unknown and unpaired devices are not kept warm: ids an attacker makes up would each be
            // reloaded for three ttls, and a device paired later resolves after its entry expires.
            if (entry.owner.isPresent() && now - entry.loadedAt >= refreshAfterNanos
                    && now - entry.lastUsed <= keepWarmNanos) {
                due.put(e.getKey(), entry);
                if (due.size() == max) {
                    break;
                }
            }
        }
        if (due.isEmpty()) {
            return 0;
        }
        List<UUID> ids = new ArrayList<>(due.keySet());
        Map<UUID, DeviceOwner> loaded;
        try {
            loaded = loader.loadAll(ids);
        } catch (StoreUnavailableException e) {
            return -1;
        }
        int refreshed = 0;
        for (UUID id : ids) {
            Entry read = due.get(id);
            if (cache.replace(id, read, new Entry(Optional.ofNullable(loaded.get(id)), now, read.lastUsed))) {
                refreshed++;
            }
        }
        return refreshed;
    }

    /**
     * Adds paired devices read in bulk (at start-up) that are not cached yet, for one ttl. They
     * count as not recently used, so they are refreshed only once looked up: a restarted gateway
     * finds the devices of the backlog that rushes in without one round trip each, and keeps warm
     * only those that publish.
     *
     * @param readAt when the bulk read started
     * @return how many were added
     */
    int preload(Map<UUID, DeviceOwner> paired, long readAt) {
        int added = 0;
        for (Map.Entry<UUID, DeviceOwner> e : paired.entrySet()) {
            if (cache.size() >= maxEntries) {
                break;
            }
            if (cache.putIfAbsent(e.getKey(), new Entry(Optional.of(e.getValue()), readAt, readAt - keepWarmNanos - 1))
                    == null) {
                added++;
            }
        }
        return added;
    }

    int size() {
        return cache.size();
    }

    private void put(UUID deviceId, Entry entry) {
        if (cache.size() > maxEntries) {
            cache.clear();
        }
        cache.put(deviceId, entry);
    }

    /** Identity matters: the refresher replaces an entry only if it is still the same object. */
    private static final class Entry {
        final Optional<DeviceOwner> owner;
        /** When the answer was read (for a refresh: before its query ran). */
        final long loadedAt;
        /** Last lookup; a plain write per hit, read only by the refresher, so staleness is harmless. */
        long lastUsed;

        Entry(Optional<DeviceOwner> owner, long loadedAt, long lastUsed) {
            this.owner = owner;
            this.loadedAt = loadedAt;
            this.lastUsed = lastUsed;
        }
    }
}
