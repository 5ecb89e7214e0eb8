package org.vitalvault.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.vitalvault.gateway.ingest.DeviceDirectory;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.gateway.ingest.StoreUnavailableException;
import org.vitalvault.notify.NotifyChannels;

/**
 * Device → owner lookups from the vault's tables, cached for {@code ttl} (unknown devices too, so
 * a flood from an unpaired device costs one query per ttl). Reads only public keys and device MAC
 * keys: the gateway's database role needs no access to wrapped private keys.
 */
public final class JdbcDeviceDirectory implements DeviceDirectory {

    private static final String LOOKUP = """
            select d.owner_id, k.key_version, k.public_key, d.mac_key, d.mac_required
              from device d
              join owner_key k on k.owner_id = d.owner_id and k.retired_at is null
             where d.device_id = ? and d.unpaired_at is null
             order by k.key_version desc
             limit 1
            """;

    private final DataSource dataSource;
    private final long ttlNanos;
    private final ConcurrentHashMap<UUID, Entry> cache = new ConcurrentHashMap<>();

    public JdbcDeviceDirectory(DataSource dataSource, Duration ttl) {
        this.dataSource = dataSource;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public Optional<DeviceOwner> lookup(UUID deviceId) throws StoreUnavailableException {
        long now = System.nanoTime();
        Entry cached = cache.get(deviceId);
        if (cached != null && now - cached.loadedAt < ttlNanos) {
            return cached.owner;
        }
        Optional<DeviceOwner> owner = load(deviceId);
        if (cache.size() > 100_000) {
            cache.clear();
        }
        cache.put(deviceId, new Entry(owner, now));
        return owner;
    }

    private Optional<DeviceOwner> load(UUID deviceId) throws StoreUnavailableException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOOKUP)) {
            ps.setObject(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DeviceOwner(rs.getObject(1, UUID.class), rs.getInt(2), rs.getBytes(3), rs.getBytes(4),
                        rs.getBoolean(5)));
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("device lookup failed: SQLState " + e.getSQLState(), e);
        }
    }

    /**
     * Listens for the vault's {@link NotifyChannels#DEVICE_UNPAIRED} notifications on a connection of its
     * own and forgets the device at once, so an unpaired device's readings are refused from the
     * next message on instead of for the rest of the cache lifetime. When the connection is lost it
     * reconnects; meanwhile the cache lifetime still bounds staleness.
     */
    public void listenForUnpairing() {
        Thread t = new Thread(this::listen, "device-unpair-listener");
        t.setDaemon(true);
        t.start();
    }

    private void listen() {
        while (!Thread.currentThread().isInterrupted()) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (var st = c.createStatement()) {
                    st.execute("listen " + NotifyChannels.DEVICE_UNPAIRED);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!Thread.currentThread().isInterrupted()) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification n : notes) {
                        try {
                            cache.put(UUID.fromString(n.getParameter()), new Entry(Optional.empty(), System.nanoTime()));
                        } catch (IllegalArgumentException ignored) {
                            // Not a device id: not ours to act on.
                        }
                    }
                }
            } catch (SQLException e) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private record Entry(Optional<DeviceOwner> owner, long loadedAt) {
    }
}
