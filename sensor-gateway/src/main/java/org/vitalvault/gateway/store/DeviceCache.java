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
 * The device → owner cache behind {@link JdbcDeviceDirectory}, refreshed ahead of expiry.
 *
 * <p>An entry is never served older than {@code ttl}: past it, {@link #lookup} loads on the calling
 * thread, as a plain TTL cache does. From half the ttl on, a lookup still answers from the entry
 * at once and leaves the device for the refresher, which polls {@link #refreshWaiting}, loads the
 * waiting devices in one query and puts the answers back. The caller is
 * the gateway's single MQTT callback thread: with a plain TTL cache every device seen in one burst
 * expired in the same burst ttl later, and the callback thread then made one database round trip
 * per device in series — on a saturated machine each round trip waits for a core, 10–100 ms, so
 * ingest stalled for seconds every ttl (docs/decisions/032). With refresh-ahead a device that
 * publishes at least every half ttl never waits for the database after its first message.
 *
 * <p>An invalidation (the device was unpaired) replaces the entry; a refresh that was already
 * running for it does not put its older answer back (it replaces only the entry it was asked for).
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
    private final int maxEntries;
    private final ConcurrentHashMap<UUID, Entry> cache = new ConcurrentHashMap<>();
    /** Entries a refresh was asked for and not yet done; the refresher replaces exactly these. */
    private final ConcurrentHashMap<UUID, Entry> refreshing = new ConcurrentHashMap<>();

    DeviceCache(Loader loader, long ttlNanos, int maxEntries, LongSupplier nanoTime) {
        this.loader = loader;
        this.ttlNanos = ttlNanos;
        this.refreshAfterNanos = ttlNanos / 2;
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    Optional<DeviceOwner> lookup(UUID deviceId) throws StoreUnavailableException {
        long now = nanoTime.getAsLong();
        Entry cached = cache.get(deviceId);
        if (cached != null) {
            long age = now - cached.loadedAt;
            if (age < ttlNanos) {
                if (age >= refreshAfterNanos) {
                    refreshing.putIfAbsent(deviceId, cached);
                }
                return cached.owner;
            }
        }
        Optional<DeviceOwner> owner = loader.load(deviceId);
        put(deviceId, new Entry(owner, now));
        return owner;
    }

    /** The device was unpaired: it resolves to nothing from now on, for a whole ttl. */
    void invalidate(UUID deviceId) {
        put(deviceId, new Entry(Optional.empty(), nanoTime.getAsLong()));
    }

    /** Whether a refresh is waiting. */
    boolean refreshRequested() {
        return !refreshing.isEmpty();
    }

    /**
     * Loads up to {@code max} of the devices waiting for a refresh in one bulk query and puts the
     * answers back where the entry is still the one the refresh was asked for. On failure the
     * devices are dropped from the waiting set: their entries expire and load on the lookup path.
     *
     * @return how many devices were refreshed, -1 when the load failed
     */
    int refreshWaiting(int max) {
        List<UUID> ids = new ArrayList<>(Math.min(max, refreshing.size()));
        for (UUID id : refreshing.keySet()) {
            if (ids.size() == max) {
                break;
            }
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return 0;
        }
        long started = nanoTime.getAsLong();
        Map<UUID, DeviceOwner> loaded;
        try {
            loaded = loader.loadAll(ids);
        } catch (StoreUnavailableException e) {
            ids.forEach(refreshing::remove);
            return -1;
        }
        int refreshed = 0;
        for (UUID id : ids) {
            Entry asked = refreshing.remove(id);
            if (asked != null
                    && cache.replace(id, asked, new Entry(Optional.ofNullable(loaded.get(id)), started))) {
                refreshed++;
            }
        }
        return refreshed;
    }

    int waiting() {
        return refreshing.size();
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
        final long loadedAt;

        Entry(Optional<DeviceOwner> owner, long loadedAt) {
            this.owner = owner;
            this.loadedAt = loadedAt;
        }
    }
}
