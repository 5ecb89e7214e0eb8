package org.vitalvault.vault.consent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.vitalvault.vault.auth.SubjectHashes;

/**
 * The append-only trail of consent changes in {@code consent_event} (through Panache: plain CRUD):
 * who changed what, when, and the receipt they were given. The table refuses UPDATE and DELETE (a
 * trigger, V5) except during the owner's erasure.
 */
@ApplicationScoped
public class ConsentEvents {

    @Inject
    SubjectHashes hashes;

    /**
     * One change, in the order the vault recorded it.
     *
     * @param seq        increasing in recording order
     * @param receiptId  the receipt's id
     * @param action     what happened
     * @param consentId  the grant's id (for a co-op, of the grant the membership amounts to)
     * @param coopId     the co-op, for joining and leaving, else null
     * @param actor      the bearer-token subject that made the change when it is the reader's own, else
     *                   {@code hmac-sha256:<hex>} of it (only its keyed hash is stored: decision 037)
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
        // Only the keyed hash, as for the owner's own row (decision 037).
        row.actorHash = hashes.owner(actor);
        row.occurredAt = receipt.timestamp();
        row.jws = jws;
        // Written now, as the statement it replaces was: SQL on the same transaction sees it.
        row.persistAndFlush();
    }

    /**
     * The owner's changes, oldest first, as {@code reader} (a bearer-token subject) sees them: the
     * actor is shown by name where it is the reader.
     */
    public List<Event> of(UUID owner, String reader) {
        byte[] readerHash = hashes.owner(reader);
        return ConsentEvent.<ConsentEvent>list("ownerId = ?1 order by seq", owner).stream()
                .map(e -> new Event(e.seq, e.receiptId, action(e.action), e.consentId, e.coopId,
                        actor(e, readerHash, reader), e.occurredAt, e.jws))
                .toList();
    }

    private static String actor(ConsentEvent e, byte[] readerHash, String reader) {
        if (e.actorHash == null) {
            return e.actor;
        }
        return MessageDigest.isEqual(e.actorHash, readerHash) ? reader : "hmac-sha256:" + HexFormat.of().formatHex(e.actorHash);
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
