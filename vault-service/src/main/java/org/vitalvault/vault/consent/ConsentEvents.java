package org.vitalvault.vault.consent;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The append-only trail of consent changes in {@code consent_event} (through Panache: plain CRUD):
 * who changed what, when, and the receipt they were given. The table refuses UPDATE and DELETE (a
 * trigger, V5) except during the owner's erasure.
 */
@ApplicationScoped
public class ConsentEvents {

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
        ConsentEvent row = new ConsentEvent();
        row.receiptId = receipt.receiptId();
        row.ownerId = owner;
        row.action = receipt.action().code();
        row.consentId = receipt.consent().id();
        row.coopId = coopId;
        row.actor = actor;
        row.occurredAt = receipt.timestamp();
        row.jws = jws;
        // Written now, as the statement it replaces was: SQL on the same transaction sees it.
        row.persistAndFlush();
    }

    /** The owner's changes, oldest first. */
    public List<Event> of(UUID owner) {
        return ConsentEvent.<ConsentEvent>list("ownerId = ?1 order by seq", owner).stream()
                .map(e -> new Event(e.seq, e.receiptId, action(e.action), e.consentId, e.coopId, e.actor, e.occurredAt, e.jws))
                .toList();
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
