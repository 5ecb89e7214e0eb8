package org.vitalvault.vault.broker;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;

/**
 * Devices whose broker login must go (table {@code broker_outbox}, V12): written in the transaction
 * that unpairs or erases them, so the intent commits or rolls back with it, and worked off against
 * the broker until the broker confirmed — an unpaired device is refused in the end even when the
 * broker was unreachable at the time. Safe on several vault replicas: an entry is taken with
 * {@code for update skip locked}.
 */
@ApplicationScoped
public class BrokerOutbox {

    private static final Logger LOG = Logger.getLogger(BrokerOutbox.class);
    private static final String UPSERT = "insert into broker_outbox (device_id, enqueued_at, next_attempt_at) values (?, ?, ?)"
            + " on conflict (device_id) do update set next_attempt_at = excluded.next_attempt_at";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BrokerProvisioner provisioner;

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    /** Records {@code deviceIds} on {@code c}, in the caller's transaction. */
    public void record(Connection c, Collection<UUID> deviceIds) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (UUID id : deviceIds) {
                ps.setObject(1, id);
                ps.setTimestamp(2, now);
                ps.setTimestamp(3, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Records {@code deviceId} in the current JTA transaction (the datasource enlists the connection). */
    public void record(UUID deviceId) {
        try (Connection c = dataSource.getConnection()) {
            record(c, List.of(deviceId));
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the broker deletion of device " + deviceId, e);
        }
    }

    /**
     * Works off every due entry, one transaction each, until none is due or the broker fails (then
     * the entry waits, with a growing pause, and so do the others: the broker is likely down).
     *
     * @return entries done
     */
    public int drain() throws SQLException {
        int done = 0;
        while (Boolean.TRUE.equals(attemptOne())) {
            done++;
        }
        return done;
    }

    /** One due entry: true when the broker confirmed, false when it failed, null when none was due. */
    private Boolean attemptOne() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                UUID deviceId;
                int attempts;
                try (PreparedStatement ps = c.prepareStatement("select device_id, attempts from broker_outbox"
                        + " where next_attempt_at <= ? order by next_attempt_at limit 1 for update skip locked")) {
                    ps.setTimestamp(1, Timestamp.from(clock.instant()));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return null;
                        }
                        deviceId = rs.getObject(1, UUID.class);
                        attempts = rs.getInt(2);
                    }
                }
                boolean confirmed;
                try {
                    provisioner.deprovision(deviceId);
                    try (PreparedStatement ps = c.prepareStatement("delete from broker_outbox where device_id = ?")) {
                        ps.setObject(1, deviceId);
                        ps.executeUpdate();
                    }
                    LOG.infof("broker login of device %s deleted", deviceId);
                    confirmed = true;
                } catch (ProvisioningException e) {
                    Duration pause = backoff(attempts + 1);
                    try (PreparedStatement ps = c.prepareStatement("update broker_outbox set attempts = attempts + 1,"
                            + " next_attempt_at = ?, last_error = ? where device_id = ?")) {
                        ps.setTimestamp(1, Timestamp.from(clock.instant().plus(pause)));
                        ps.setString(2, e.getMessage());
                        ps.setObject(3, deviceId);
                        ps.executeUpdate();
                    }
                    LOG.warnf("broker login of unpaired device %s not deleted yet (attempt %d, next in %s): %s",
                            deviceId, attempts + 1, pause, e.getMessage());
                    confirmed = false;
                }
                c.commit();
                return confirmed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * After a pairing that did not commit although the broker may have created the login: delete it
     * now, or leave it to the outbox when the broker cannot be reached. Its password was never shown
     * to anyone, so until then nobody can use it.
     */
    public void cleanUpFailedPairing(UUID deviceId) {
        try {
            provisioner.deprovision(deviceId);
            LOG.infof("broker login of unpaired device %s deleted after the pairing failed", deviceId);
        } catch (ProvisioningException e) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                record(c, List.of(deviceId));
            } catch (SQLException | RuntimeException recordFailed) {
                LOG.errorf("broker login of device %s (pairing failed, password never shown) could not be deleted"
                        + " nor recorded for deletion: delete it by hand (%s)", deviceId, recordFailed.getMessage());
            }
        }
    }

    /** Whether {@code deviceId} still waits for the broker (tests, operators). */
    public boolean pending(UUID deviceId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from broker_outbox where device_id = ?")) {
            ps.setObject(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Duration backoff(int attempts) {
        Duration base = Duration.ofSeconds(1).multipliedBy(1L << Math.min(attempts, 16));
        Duration max = config.broker().outboxMaxBackoff();
        return base.compareTo(max) > 0 ? max : base;
    }
}
