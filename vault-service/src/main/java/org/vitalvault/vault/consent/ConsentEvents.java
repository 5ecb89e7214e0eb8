package org.vitalvault.vault.consent;

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
import java.util.UUID;

/**
 * The append-only trail of consent changes in {@code consent_event}: who changed what, when, and the
 * receipt they were given. The table refuses UPDATE and DELETE (a trigger, V5) except during the
 * owner's erasure.
 */
@ApplicationScoped
public class ConsentEvents {

    @Inject
    AgroalDataSource dataSource;

    /**
     * One change, in the order the vault recorded it.
     *
     * @param seq        increasing in recording order
     * @param receiptId  the receipt's id
     * @param action     what happened
     * @param consentId  the grant's id (for a co-op, of the grant the membership amounts to)
     * @param coopId     the co-op, for joining and leaving, else null
     * @param actor      the bearer-token subject that made the change
     * @param occurredAt when
     * @param jws        the signed receipt
     */
    public record Event(long seq, UUID receiptId, ConsentAction action, UUID consentId, UUID coopId, String actor,
                        Instant occurredAt, String jws) {
    }

    /** Records a change; on the caller's transaction, so it commits or rolls back with the change itself. */
    public void append(UUID owner, ConsentReceipt receipt, UUID coopId, String actor, String jws) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into consent_event (owner_id, receipt_id, action, consent_id, coop_id, actor, occurred_at, jws)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, owner);
            ps.setObject(2, receipt.receiptId());
            ps.setString(3, receipt.action().code());
            ps.setObject(4, receipt.consent().id());
            ps.setObject(5, coopId);
            ps.setString(6, actor);
            ps.setObject(7, TermsColumns.timestamp(receipt.timestamp()));
            ps.setString(8, jws);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording a consent event failed", e);
        }
    }

    /** The owner's changes, oldest first. */
    public List<Event> of(UUID owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select seq, receipt_id, action, consent_id, coop_id, actor, occurred_at, jws from consent_event"
                        + " where owner_id = ? order by seq")) {
            ps.setObject(1, owner);
            List<Event> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new Event(rs.getLong(1), rs.getObject(2, UUID.class), action(rs.getString(3)),
                            rs.getObject(4, UUID.class), rs.getObject(5, UUID.class), rs.getString(6),
                            TermsColumns.instant(rs, "occurred_at"), rs.getString(8)));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("reading consent events failed", e);
        }
    }

    private static ConsentAction action(String code) {
        for (ConsentAction a : ConsentAction.values()) {
            if (a.code().equals(code)) {
                return a;
            }
        }
        throw new IllegalStateException("unknown consent action in consent_event: " + code);
    }
}
