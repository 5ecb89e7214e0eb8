package org.vitalvault.vault.emergency;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.vault.consent.TermsColumns;

/**
 * The rows of break-glass ({@code emergency_access}, {@code emergency_episode}), on the caller's
 * transaction. Holds no text: the episode's sealed detail is opened by {@link EmergencyService}.
 */
@ApplicationScoped
public class EmergencyStore {

    /** An owner's opt-in: when it was (last) enabled. */
    public record Setting(UUID ownerId, Instant enabledAt) {
    }

    /** An episode's row. {@code endedBy} is {@code owner} or {@code disabled}, null while not ended. */
    public record Episode(UUID ownerId, UUID id, byte[] clinicianHash, byte[] sealedDetail, Instant startedAt,
                          Instant expiresAt, Instant endedAt, String endedBy) {

        /** Whether a clinician may still read under it at {@code now}. */
        public boolean openAt(Instant now) {
            return endedAt == null && now.isBefore(expiresAt);
        }
    }

    private static final String EPISODE_COLUMNS = "owner_id, episode_id, clinician_hash, sealed_detail, started_at,"
            + " expires_at, ended_at, ended_by";

    @Inject
    AgroalDataSource dataSource;

    public Optional<Setting> setting(UUID owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select enabled_at from emergency_access where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Setting(owner, TermsColumns.instant(rs, "enabled_at"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading an emergency-access setting failed", e);
        }
    }

    /** Enables emergency access with a new code hash, replacing any earlier code. */
    public void enable(UUID owner, byte[] codeHash, Instant at) {
        update("insert into emergency_access (owner_id, code_hash, enabled_at) values (?, ?, ?) on conflict (owner_id)"
                + " do update set code_hash = excluded.code_hash, enabled_at = excluded.enabled_at", owner, codeHash, at);
    }

    /** Disables it: the code stops working. False when it was not enabled. */
    public boolean disable(UUID owner) {
        return update("delete from emergency_access where owner_id = ?", owner) > 0;
    }

    /** The owner whose current code hashes to {@code codeHash}, locked against a concurrent disable. */
    public Optional<UUID> ownerByCode(byte[] codeHash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select owner_id from emergency_access where code_hash = ? for share")) {
            ps.setBytes(1, codeHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("looking up an emergency code failed", e);
        }
    }

    public void insert(Episode e) {
        update("insert into emergency_episode (" + EPISODE_COLUMNS + ") values (?, ?, ?, ?, ?, ?, null, null)",
                e.ownerId(), e.id(), e.clinicianHash(), e.sealedDetail(), e.startedAt(), e.expiresAt());
    }

    /**
     * The episode with this id, whoever's it is; {@code locked}: held against a concurrent end until
     * the caller's transaction finishes, so no read completes under an episode the owner has ended.
     */
    public Optional<Episode> episode(UUID episodeId, boolean locked) {
        return episodes("where episode_id = ?" + (locked ? " for share" : ""), episodeId).stream().findFirst();
    }

    /** One owner's episode. */
    public Optional<Episode> episodeOf(UUID owner, UUID episodeId) {
        return episodes("where owner_id = ? and episode_id = ?", owner, episodeId).stream().findFirst();
    }

    /** The owner's episodes, newest first. */
    public List<Episode> episodesOf(UUID owner) {
        return episodes("where owner_id = ? order by started_at desc, episode_id", owner);
    }

    /**
     * Ends the owner's episodes that are still open at {@code at} (one, or all when {@code episodeId}
     * is null) and returns the ids of those it ended.
     */
    public List<UUID> end(UUID owner, UUID episodeId, String by, Instant at) {
        String sql = episodeId == null
                ? "update emergency_episode set ended_at = ?, ended_by = ? where owner_id = ? and ended_at is null"
                        + " and expires_at > ? returning episode_id"
                : "update emergency_episode set ended_at = ?, ended_by = ? where owner_id = ? and episode_id = ?"
                        + " and ended_at is null and expires_at > ? returning episode_id";
        Object[] params = episodeId == null ? new Object[] {at, by, owner, at} : new Object[] {at, by, owner, episodeId, at};
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            List<UUID> ended = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ended.add(rs.getObject(1, UUID.class));
                }
            }
            return ended;
        } catch (SQLException e) {
            throw new IllegalStateException("ending emergency episodes failed", e);
        }
    }

    private List<Episode> episodes(String where, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select " + EPISODE_COLUMNS + " from emergency_episode " + where)) {
            bind(ps, params);
            List<Episode> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Episode(rs.getObject("owner_id", UUID.class), rs.getObject("episode_id", UUID.class),
                            rs.getBytes("clinician_hash"), rs.getBytes("sealed_detail"), TermsColumns.instant(rs, "started_at"),
                            TermsColumns.instant(rs, "expires_at"), TermsColumns.instant(rs, "ended_at"), rs.getString("ended_by")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading emergency episodes failed", e);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("writing break-glass rows failed", e);
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) {
                ps.setObject(i + 1, TermsColumns.timestamp(t));
            } else if (p instanceof byte[] b) {
                ps.setBytes(i + 1, b);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
