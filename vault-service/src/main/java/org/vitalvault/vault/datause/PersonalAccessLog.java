package org.vitalvault.vault.datause;

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
import java.util.Objects;
import java.util.UUID;
import org.vitalvault.vault.consent.TermsColumns;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * Caregiver reads and emergency accesses: each read of an owner's data by a person the owner (or an
 * emergency) let in is one row, written in the read's transaction, and listed to the owner beside the
 * research data uses ({@code GET /owners/{id}/accesses}). Who read and why are sealed
 * ({@link OwnerTextSeal}); the grant id is a delegation's or an emergency episode's id.
 */
@ApplicationScoped
public class PersonalAccessLog {

    /** Who may read an owner's data outside research. */
    public enum Kind {
        CAREGIVER, EMERGENCY
    }

    /**
     * One access.
     *
     * @param grantId    the delegation or emergency episode it happened under
     * @param accessor   who read, as the owner knows them (a caregiver's label, a clinician's name or subject)
     * @param reason     why (an emergency's stated reason), or null
     * @param metric     the metric read, or null for "latest values of every metric in scope"
     * @param resolution raw, minute, hour, day, or latest
     * @param dataFrom   the start of the data read (null for latest values)
     * @param dataUntil  the end of the data read (null for latest values)
     */
    public record Access(Kind kind, UUID grantId, String accessor, String reason, String metric, String resolution,
                         Instant dataFrom, Instant dataUntil, Instant accessedAt) {
        public Access {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(grantId, "grantId");
            Objects.requireNonNull(accessor, "accessor");
            Objects.requireNonNull(accessedAt, "accessedAt");
        }
    }

    /** One access as the owner reads it back. */
    public record Entry(long id, Access access) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    /** Records one access (on the caller's transaction). */
    public void record(UUID owner, Access a) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into personal_access"
                + " (owner_id, kind, grant_id, sealed_detail, metric, resolution, data_from, data_until, accessed_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, owner);
            ps.setString(2, a.kind().name().toLowerCase(java.util.Locale.ROOT));
            ps.setObject(3, a.grantId());
            ps.setBytes(4, seal.seal(owner, OwnerTextSeal.Purpose.ACCESS_DETAIL, detail(a)));
            ps.setString(5, a.metric());
            ps.setString(6, a.resolution());
            ps.setObject(7, a.dataFrom() == null ? null : TermsColumns.timestamp(a.dataFrom()));
            ps.setObject(8, a.dataUntil() == null ? null : TermsColumns.timestamp(a.dataUntil()));
            ps.setObject(9, TermsColumns.timestamp(a.accessedAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording a personal access failed", e);
        }
    }

    /** The owner's accesses, oldest first; with {@code grantId}, only those under that grant. */
    public List<Entry> accessesOf(UUID owner, UUID grantId) {
        String sql = "select access_id, kind, grant_id, sealed_detail, metric, resolution, data_from, data_until, accessed_at"
                + " from personal_access where owner_id = ?" + (grantId == null ? "" : " and grant_id = ?") + " order by access_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            if (grantId != null) {
                ps.setObject(2, grantId);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] d = seal.open(owner, OwnerTextSeal.Purpose.ACCESS_DETAIL, rs.getBytes("sealed_detail"))
                            .split("\n", 2);
                    out.add(new Entry(rs.getLong("access_id"), new Access(
                            Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                            rs.getObject("grant_id", UUID.class), d[0], d.length > 1 && !d[1].isEmpty() ? d[1] : null,
                            rs.getString("metric"), rs.getString("resolution"), TermsColumns.instant(rs, "data_from"),
                            TermsColumns.instant(rs, "data_until"), TermsColumns.instant(rs, "accessed_at"))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading personal accesses failed", e);
        }
    }

    /** Accessor and reason in one sealed text: the accessor's line breaks are flattened, the reason's kept. */
    private static String detail(Access a) {
        return a.accessor().replace('\n', ' ') + "\n" + (a.reason() == null ? "" : a.reason());
    }
}
