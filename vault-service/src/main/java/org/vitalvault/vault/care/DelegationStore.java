package org.vitalvault.vault.care;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.vault.readings.OwnerSeries;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * Delegations in {@code care_delegation}, on the caller's transaction; nothing is cached, so every
 * request sees the last committed revocation. JDBC rather than Panache: redeeming an invite and
 * claiming the hourly read notice are conditional updates that must not race, and the metric list
 * is a text[].
 */
@ApplicationScoped
public class DelegationStore {

    private static final String COLUMNS = "owner_id, delegation_id, sealed_label, sealed_shared_as, caregiver_hash,"
            + " metrics, finest_resolution, window_from, window_until, expires_at, created_at, accepted_at, revoked_at";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    /** Stores a new delegation, held by {@code caregiverHash} already or waiting for the invite {@code inviteHash}. */
    public void insert(Delegation d, byte[] caregiverHash, byte[] inviteHash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into care_delegation"
                + " (" + COLUMNS + ", invite_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, d.ownerId());
            ps.setObject(2, d.id());
            ps.setBytes(3, seal.seal(d.ownerId(), OwnerTextSeal.Purpose.CAREGIVER_LABEL, d.label()));
            ps.setBytes(4, d.sharedAs() == null ? null
                    : seal.seal(d.ownerId(), OwnerTextSeal.Purpose.CAREGIVER_SHARED_AS, d.sharedAs()));
            ps.setBytes(5, caregiverHash);
            ps.setArray(6, c.createArrayOf("text", d.scope().metrics().toArray()));
            ps.setString(7, Scope.name(d.scope().finest()));
            DataWindow w = d.scope().window();
            ps.setObject(8, w == null ? null : timestamp(w.from()));
            ps.setObject(9, w == null ? null : timestamp(w.until()));
            ps.setObject(10, timestamp(d.expiresAt()));
            ps.setObject(11, timestamp(d.createdAt()));
            ps.setObject(12, timestamp(d.acceptedAt()));
            ps.setObject(13, timestamp(d.revokedAt()));
            ps.setBytes(14, inviteHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing a delegation failed", e);
        }
    }

    /** Every delegation of the owner, oldest first. */
    public List<Delegation> ofOwner(UUID owner) {
        return query("select " + COLUMNS + " from care_delegation where owner_id = ? order by created_at, delegation_id",
                owner);
    }

    /** The owner's delegation, locked until the transaction ends when {@code forUpdate}. */
    public Optional<Delegation> find(UUID owner, UUID id, boolean forUpdate) {
        return query("select " + COLUMNS + " from care_delegation where owner_id = ? and delegation_id = ?"
                + (forUpdate ? " for update" : ""), owner, id).stream().findFirst();
    }

    /** The delegation waiting for this invite, locked (two redemptions of one code cannot both win). */
    public Optional<Delegation> byInvite(byte[] inviteHash) {
        return query("select " + COLUMNS + " from care_delegation where invite_hash = ? for update", inviteHash)
                .stream().findFirst();
    }

    /**
     * The caregiver's delegation with this id, in any state; empty if it is not theirs. With
     * {@code share}, locked against revocation until the transaction ends.
     */
    public Optional<Delegation> heldBy(byte[] caregiverHash, UUID id, boolean share) {
        return query("select " + COLUMNS + " from care_delegation where caregiver_hash = ? and delegation_id = ?"
                + (share ? " for share" : ""), caregiverHash, id).stream().findFirst();
    }

    /** Every delegation the caregiver holds, in any state, oldest first. */
    public List<Delegation> heldBy(byte[] caregiverHash) {
        return query("select " + COLUMNS + " from care_delegation where caregiver_hash = ?"
                + " order by created_at, delegation_id", caregiverHash);
    }

    /** The caregiver takes up the delegation; its invite code stops working. */
    public void accept(UUID owner, UUID id, byte[] caregiverHash, Instant at) {
        update("update care_delegation set caregiver_hash = ?, invite_hash = null, accepted_at = ?"
                + " where owner_id = ? and delegation_id = ?", caregiverHash, timestamp(at), owner, id);
    }

    /** Ends the delegation; an unredeemed invite code dies with it. */
    public void revoke(UUID owner, UUID id, Instant at) {
        update("update care_delegation set revoked_at = ?, invite_hash = null where owner_id = ? and delegation_id = ?",
                timestamp(at), owner, id);
    }

    /**
     * Whether the owner is to be told of a read now: true for the first read after {@code notBefore}
     * (one statement, so two concurrent reads cannot both claim it).
     */
    public boolean claimReadNotice(UUID owner, UUID id, Instant now, Instant notBefore) {
        return update("update care_delegation set read_noticed_at = ? where owner_id = ? and delegation_id = ?"
                + " and (read_noticed_at is null or read_noticed_at <= ?)", timestamp(now), owner, id,
                timestamp(notBefore)) == 1;
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("changing a delegation failed", e);
        }
    }

    private List<Delegation> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            List<Delegation> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading delegations failed", e);
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof byte[] b) {
                ps.setBytes(i + 1, b);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
    }

    private Delegation row(ResultSet rs) throws SQLException {
        UUID owner = rs.getObject("owner_id", UUID.class);
        byte[] sharedAs = rs.getBytes("sealed_shared_as");
        Array metrics = rs.getArray("metrics");
        Instant from = instant(rs, "window_from");
        Scope scope = new Scope(Arrays.asList((String[]) metrics.getArray()),
                OwnerSeries.Resolution.valueOf(rs.getString("finest_resolution").toUpperCase(Locale.ROOT)),
                from == null ? null : new DataWindow(from, instant(rs, "window_until")));
        return new Delegation(owner, rs.getObject("delegation_id", UUID.class),
                seal.open(owner, OwnerTextSeal.Purpose.CAREGIVER_LABEL, rs.getBytes("sealed_label")),
                sharedAs == null ? null : seal.open(owner, OwnerTextSeal.Purpose.CAREGIVER_SHARED_AS, sharedAs),
                rs.getBytes("caregiver_hash") != null, scope, instant(rs, "expires_at"), instant(rs, "created_at"),
                instant(rs, "accepted_at"), instant(rs, "revoked_at"));
    }

    private static OffsetDateTime timestamp(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
