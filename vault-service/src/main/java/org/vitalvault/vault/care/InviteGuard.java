package org.vitalvault.vault.care;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.refusal.TooMany;

/**
 * Bounds invite-code guessing: a caregiver subject may fail {@code vitalvault.care.failed-invites-per-hour}
 * redemptions (default 10) in any sliding hour; after that every redemption, a right code included,
 * is refused (429) until the oldest failure is an hour old. With 80-bit codes that is at most
 * 87,600 guesses a year per subject: odds of about 2^-63 per live code.
 *
 * <p>Limits: a count, not a lock; concurrent failures of one subject may each pass the check and
 * overshoot the bound by the number in flight. Whoever mints many caregiver subjects multiplies the
 * allowance (the identity provider, not the vault, bounds that).
 */
@ApplicationScoped
public class InviteGuard {

    private static final Duration WINDOW = Duration.ofHours(1);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    VaultConfig config;

    /** @throws TooMany when the subject has used up its failures for the hour */
    public void requireAllowance(byte[] caregiverHash, Instant now) {
        int limit = config.care().failedInvitesPerHour();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*), min(failed_at) from care_invite_failure where caregiver_hash = ? and failed_at > ?")) {
            ps.setBytes(1, caregiverHash);
            ps.setObject(2, (now.minus(WINDOW)).atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= limit) {
                    Instant oldest = rs.getObject(2, OffsetDateTime.class).toInstant();
                    throw new TooMany("too-many-invite-attempts", "Too many invite attempts",
                            "more than " + limit + " invite codes that did not work in an hour; try again later",
                            Duration.between(now, oldest.plus(WINDOW)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting failed invite redemptions failed", e);
        }
    }

    /** Counts one failed redemption (and forgets the subject's failures older than the hour). */
    public void recordFailure(byte[] caregiverHash, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement prune = c.prepareStatement("delete from care_invite_failure where caregiver_hash = ? and failed_at <= ?");
             PreparedStatement insert = c.prepareStatement("insert into care_invite_failure (caregiver_hash, failed_at) values (?, ?)")) {
            prune.setBytes(1, caregiverHash);
            prune.setObject(2, now.minus(WINDOW).atOffset(ZoneOffset.UTC));
            prune.executeUpdate();
            insert.setBytes(1, caregiverHash);
            insert.setObject(2, now.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("counting a failed invite redemption failed", e);
        }
    }
}
