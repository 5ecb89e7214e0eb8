package org.vitalvault.vault.device;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.wire.RejectionReason;

/**
 * The vault's side of device activity (decision 048), every {@code vitalvault.devices.activity-job-interval}:
 * <ol>
 *   <li>tells each owner, at most once per device per {@code rejection-notice-every}, how many of a
 *       device's records were refused since the last notice and why (a DEVICE notice);</li>
 *   <li>deletes activity rows older than {@code activity-retention}.</li>
 * </ol>
 * Safe with several vault replicas: a notice is posted in the transaction of a conditional UPDATE
 * of the device's {@code rejections_noticed_at} from the value the replica read, so of two replicas
 * racing for one device exactly one updates a row and posts (the other's UPDATE finds the value
 * changed and matches nothing). Pruning is an idempotent DELETE.
 */
@ApplicationScoped
public class DeviceActivityJob {

    private static final Logger LOG = Logger.getLogger(DeviceActivityJob.class);
    /**
     * Rows recorded in the last seconds are left for the next notice: a gateway's INSERT commits
     * shortly after the {@code now()} it records, so a row read later may carry an earlier time.
     */
    static final Duration SETTLE = Duration.ofSeconds(30);
    /** Devices noticed per run; the rest wait for the next run. */
    private static final int MAX_DEVICES_PER_RUN = 1000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerNotices notices;

    @Inject
    OwnerKeyring keyring;

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    private ScheduledExecutorService executor;

    /** A device with refused records not yet told, and what its owner was last told up to. */
    record Pending(UUID ownerId, UUID deviceId, Instant noticedUpTo, String plainName, byte[] sealedName,
                   Integer nameKeyVersion, Map<String, Long> counts) {
        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    void onStart(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "device-activity");
            t.setDaemon(true);
            return t;
        });
        long interval = config.devices().activityJobInterval().toMillis();
        executor.scheduleWithFixedDelay(this::run, interval, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void run() {
        try {
            noticeRejections();
            prune();
        } catch (Exception e) {
            // PostgreSQL away: the next run tries again; nothing is marked noticed that was not posted.
            LOG.warnf("device activity job failed, retrying in %s: %s", config.devices().activityJobInterval(),
                    e.getMessage());
        }
    }

    /** Posts the due "records refused" notices; returns how many were posted by this replica. */
    public int noticeRejections() throws SQLException {
        Instant upTo = clock.instant().minus(SETTLE);
        Instant gate = upTo.minus(config.devices().rejectionNoticeEvery());
        int posted = 0;
        for (Pending p : pending(upTo, gate)) {
            if (QuarkusTransaction.requiringNew().call(() -> claimAndPost(p, upTo))) {
                posted++;
            }
        }
        return posted;
    }

    /**
     * Paired devices whose last notice (if any) is older than the gate and that have refused records
     * recorded after it, up to {@code upTo}, with the counts by reason.
     */
    private List<Pending> pending(Instant upTo, Instant gate) throws SQLException {
        Map<List<Object>, Pending> byDevice = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select d.owner_id, d.device_id, d.rejections_noticed_at, d.name, d.name_sealed, d.name_key_version,
                       r.key, sum(r.value::bigint)
                  from device d
                  join device_activity a on a.owner_id = d.owner_id and a.device_id = d.device_id
                  cross join lateral jsonb_each_text(a.rejected) r
                 where d.unpaired_at is null
                   and (d.rejections_noticed_at is null or d.rejections_noticed_at <= ?)
                   and a.rejected_total > 0
                   and a.recorded_at > coalesce(d.rejections_noticed_at, d.paired_at)
                   and a.recorded_at <= ?
                 group by d.owner_id, d.device_id, d.rejections_noticed_at, d.name, d.name_sealed, d.name_key_version, r.key
                 order by d.owner_id, d.device_id
                """)) {
            ps.setTimestamp(1, Timestamp.from(gate));
            ps.setTimestamp(2, Timestamp.from(upTo));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID owner = rs.getObject(1, UUID.class);
                    UUID device = rs.getObject(2, UUID.class);
                    List<Object> key = List.of(owner, device);
                    Pending p = byDevice.get(key);
                    if (p == null) {
                        if (byDevice.size() >= MAX_DEVICES_PER_RUN) {
                            continue;
                        }
                        Timestamp noticed = rs.getTimestamp(3);
                        p = new Pending(owner, device, noticed == null ? null : noticed.toInstant(), rs.getString(4),
                                rs.getBytes(5), (Integer) rs.getObject(6), new LinkedHashMap<>());
                        byDevice.put(key, p);
                    }
                    p.counts().merge(rs.getString(7), rs.getLong(8), Long::sum);
                }
            }
        }
        return new ArrayList<>(byDevice.values());
    }

    /** In its own transaction: moves the device's mark from what was read to {@code upTo}; posts only if that moved it. */
    private boolean claimAndPost(Pending p, Instant upTo) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update device set rejections_noticed_at = ? where owner_id = ? and device_id = ?"
                        + " and rejections_noticed_at is not distinct from ? and unpaired_at is null")) {
            ps.setTimestamp(1, Timestamp.from(upTo));
            ps.setObject(2, p.ownerId());
            ps.setObject(3, p.deviceId());
            ps.setTimestamp(4, p.noticedUpTo() == null ? null : Timestamp.from(p.noticedUpTo()));
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        String name;
        try (OwnerKeyring.Session keys = keyring.open(p.ownerId())) {
            name = DeviceNames.name(keys, p.deviceId(), p.plainName(), p.sealedName(), p.nameKeyVersion());
        }
        notices.post(p.ownerId(), new Notice(NoticeKind.DEVICE, text(name, p)));
        return true;
    }

    /** "Your device 'Chest strap' had 12 records refused: implausible value (10), too old (2)." */
    static String text(String deviceName, Pending p) {
        long total = p.total();
        String reasons = p.counts().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> label(e.getKey()) + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return "Your device '" + Objects.requireNonNullElse(deviceName, "unnamed") + "' had " + total
                + (total == 1 ? " record" : " records") + " refused: " + reasons + ".";
    }

    private static String label(String code) {
        return RejectionReason.fromCode(code).map(r -> RejectionDescriptions.of(r).label()).orElse(code);
    }

    /** Deletes activity older than the retention; returns the rows deleted. */
    public int prune() throws SQLException {
        Instant before = clock.instant().minus(config.devices().activityRetention());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from device_activity where window_start < ?")) {
            ps.setTimestamp(1, Timestamp.from(before));
            return ps.executeUpdate();
        }
    }
}
