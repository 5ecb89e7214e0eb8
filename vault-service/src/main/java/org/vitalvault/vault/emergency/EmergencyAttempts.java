package org.vitalvault.vault.emergency;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.consent.TermsColumns;
import org.vitalvault.vault.refusal.TooMany;

/**
 * Bounds emergency-code guessing (decision 047). Every attempt is charged <em>before</em> the code is
 * looked at, in a transaction of its own that commits whatever the attempt's outcome, against two
 * counters of the current fixed window: the clinician's (by the keyed hash of their subject) and the
 * vault's. An attempt over either limit is refused (429) and not counted; an attempt that opened an
 * episode is refunded in the opening transaction. So, under any concurrency, at most
 * {@code failed-attempts-per-clinician} wrong codes per clinician and {@code failed-attempts-global}
 * in all are tried per window (twice that across a window boundary). The counters live in the database,
 * so every vault replica shares them.
 *
 * <p>What it does not do: tell a clinician's typing mistakes from guessing, or protect a clinician's
 * allowance from the clinician's own token being stolen.
 */
@ApplicationScoped
public class EmergencyAttempts {

    private static final String GLOBAL = "global";

    /** An attempt charged to {@code scope} in the window starting at {@code windowStart}. */
    public record Charge(String scope, Instant windowStart) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    /** Charges one attempt of the clinician; refuses it (429, with when to retry) when a limit is reached. */
    public Charge charge(byte[] clinicianHash) {
        Instant now = clock.instant();
        Duration window = config.emergency().attemptWindow();
        Instant start = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), window.toMillis()) * window.toMillis());
        String scope = "clinician:" + HexFormat.of().formatHex(clinicianHash);
        // Over a limit, the transaction rolls back (the refused attempt is not counted) and 429 follows.
        QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                if (increment(c, scope, start) > config.emergency().failedAttemptsPerClinician()) {
                    throw refused("clinician", now, start.plus(window));
                }
                if (increment(c, GLOBAL, start) > config.emergency().failedAttemptsGlobal()) {
                    throw refused("global", now, start.plus(window));
                }
                return null;
            }
        });
        return new Charge(scope, start);
    }

    private TooMany refused(String limit, Instant now, Instant windowEnd) {
        // At /q/metrics as vitalvault_emergency_attempts_refused_total{limit=clinician|global}: a rising
        // global count means someone is guessing with many clinician accounts.
        Counter.builder("vitalvault.emergency.attempts.refused").tag("limit", limit)
                .description("emergency-code attempts refused because a failed-attempt limit was reached")
                .register(registry).increment();
        return new TooMany("too-many-emergency-attempts", "Too many emergency-code attempts",
                "too many wrong emergency codes were tried; try again after the Retry-After delay",
                Duration.between(now, windowEnd));
    }

    /** Takes back a charge whose attempt presented a right code (on the caller's transaction). */
    public void refund(Charge charge) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("update emergency_attempt"
                + " set failures = failures - 1 where scope in (?, ?) and window_start = ? and failures > 0")) {
            ps.setString(1, charge.scope());
            ps.setString(2, GLOBAL);
            ps.setObject(3, TermsColumns.timestamp(charge.windowStart()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("refunding an emergency-code attempt failed", e);
        }
    }

    /** Counts a wrong code (metrics only; the charge already stands). */
    void failed() {
        Counter.builder("vitalvault.emergency.code.failures").description("emergency-code attempts with a wrong code")
                .register(registry).increment();
    }

    private static int increment(Connection c, String scope, Instant windowStart) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into emergency_attempt as a (scope, window_start, failures)"
                + " values (?, ?, 1) on conflict (scope) do update set"
                + " failures = case when a.window_start = excluded.window_start then a.failures + 1 else 1 end,"
                + " window_start = excluded.window_start returning failures")) {
            ps.setString(1, scope);
            ps.setObject(2, TermsColumns.timestamp(windowStart));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
