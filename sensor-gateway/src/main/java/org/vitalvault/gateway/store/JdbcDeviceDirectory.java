package org.vitalvault.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.vitalvault.gateway.ingest.DeviceDirectory;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.gateway.ingest.StoreUnavailableException;
import org.vitalvault.notify.NotifyChannels;

/**
 * Device → owner lookups from the view {@code gateway_device_directory} (migration V13), cached for
 * {@code ttl} (unknown devices too, so a flood from an unpaired device costs one query per ttl);
 * paired devices in use are refreshed ahead of expiry in the background ({@link DeviceCache}). The
 * view holds paired devices only, each with its owner's newest current public key and its MAC key:
 * the gateway's database role ({@code vitalvault_gateway}, docs/decisions/036) may read nothing else,
 * not the device table, not wrapped private keys.
 */
public final class JdbcDeviceDirectory implements DeviceDirectory {

    private static final Logger LOG = Logger.getLogger(JdbcDeviceDirectory.class);

    private static final String LOOKUP = """
            select owner_id, key_version, owner_public_key, mac_key, mac_required
              from gateway_device_directory
             where device_id = ?
            """;

    /** {@link #LOOKUP} for many devices at once: one row per paired device. */
    private static final String LOOKUP_MANY = """
            select device_id, owner_id, key_version, owner_public_key, mac_key, mac_required
              from gateway_device_directory
             where device_id = any(?)
            """;

    /** Every paired device with its owner's newest current key, for the start-up warm-up. */
    private static final String LOOKUP_ALL = """
            select device_id, owner_id, key_version, owner_public_key, mac_key, mac_required
              from gateway_device_directory
             limit ?
            """;

    private static final int MAX_ENTRIES = 100_000;

    private final DataSource dataSource;
    private final long ttlNanos;
    private final DeviceCache cache;

    public JdbcDeviceDirectory(DataSource dataSource, Duration ttl) {
        this.dataSource = dataSource;
        this.ttlNanos = ttl.toNanos();
        this.cache = new DeviceCache(new DeviceCache.Loader() {
            @Override
            public Optional<DeviceOwner> load(UUID deviceId) throws StoreUnavailableException {
                return JdbcDeviceDirectory.this.load(deviceId);
            }

            @Override
            public Map<UUID, DeviceOwner> loadAll(Collection<UUID> deviceIds) throws StoreUnavailableException {
                return JdbcDeviceDirectory.this.loadAll(deviceIds);
            }
        }, ttlNanos, 3 * ttlNanos, MAX_ENTRIES, System::nanoTime);
    }

    @Override
    public Optional<DeviceOwner> lookup(UUID deviceId) throws StoreUnavailableException {
        return cache.lookup(deviceId);
    }

    /**
     * Starts the background refresher (docs/decisions/032): it first warms the cache up with the
     * paired devices ({@link #warmUp}), then every {@code ttl / 10} (0.1–1 s) reloads, up to 500
     * devices per query, the entries of paired devices past half their lifetime that were looked
     * up within the last three lifetimes, so the MQTT callback thread finds them fresh. Without it
     * the cache still works, as a plain TTL cache.
     */
    public void refreshAhead() {
        long pollMillis = Math.max(100, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(ttlNanos) / 10));
        Thread t = new Thread(() -> {
            warmUp();
            int failures = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(pollMillis);
                    int refreshed;
                    do {
                        refreshed = cache.refreshDue(500);
                    } while (refreshed == 500);
                    if (refreshed >= 0) {
                        failures = 0;
                    } else {
                        if (failures++ % 30 == 0) {
                            LOG.warnf("device refresh failed %d time(s) in a row (database unavailable?);"
                                    + " cached devices load inline when they expire", failures);
                        }
                        Thread.sleep(1000);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf("device refresh failed: %s", e.toString());
                }
            }
        }, "device-refresh");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Reads up to half the cache's capacity of paired devices in one query, so that a restarted
     * gateway does not make one round trip per device on the MQTT callback thread while the broker's
     * backlog rushes in (docs/decisions/032). A failure is logged; lookups then load inline.
     */
    int warmUp() {
        long readAt = System.nanoTime();
        Map<UUID, DeviceOwner> paired = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOOKUP_ALL)) {
            ps.setInt(1, MAX_ENTRIES / 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paired.put(rs.getObject(1, UUID.class), owner(rs));
                }
            }
        } catch (SQLException e) {
            LOG.warnf("device cache warm-up failed (SQLState %s); devices load on first sight", e.getSQLState());
            return 0;
        }
        int added = cache.preload(paired, readAt);
        LOG.infof("device cache warmed up with %d paired devices", added);
        return added;
    }

    /** Devices cached (paired, unknown or unpaired). */
    public int cached() {
        return cache.size();
    }

    Optional<DeviceOwner> load(UUID deviceId) throws StoreUnavailableException {
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

    /** A row of {@link #LOOKUP_MANY} or {@link #LOOKUP_ALL}: device id, then the owner's columns. */
    private static DeviceOwner owner(ResultSet rs) throws SQLException {
        return new DeviceOwner(rs.getObject(2, UUID.class), rs.getInt(3), rs.getBytes(4), rs.getBytes(5), rs.getBoolean(6));
    }

    Map<UUID, DeviceOwner> loadAll(Collection<UUID> deviceIds) throws StoreUnavailableException {
        Map<UUID, DeviceOwner> owners = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOOKUP_MANY)) {
            ps.setArray(1, c.createArrayOf("uuid", deviceIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.put(rs.getObject(1, UUID.class), owner(rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("device refresh failed: SQLState " + e.getSQLState(), e);
        }
        return owners;
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
                            cache.invalidate(UUID.fromString(n.getParameter()));
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
}
