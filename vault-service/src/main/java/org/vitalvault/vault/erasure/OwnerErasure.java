package org.vitalvault.vault.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vitalvault.store.OwnerDataEraser;
import org.vitalvault.store.SealedTables;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.auth.SubjectHashes;
import org.vitalvault.vault.consent.ConsentEraser;
import org.vitalvault.vault.coop.CoopEraser;
import org.vitalvault.vault.device.DeviceEraser;
import org.vitalvault.vault.keys.OwnerKeyEraser;
import org.vitalvault.vault.keys.VaultSigner;
import org.vitalvault.vault.ledger.LedgerEraser;
import org.vitalvault.vault.refusal.NotFound;

/**
 * Erases an owner's account: crypto-shredding first — their private key material is overwritten,
 * then their key rows deleted — then every row of theirs in every table, in one transaction, and a
 * receipt signed by the vault stating what was destroyed and when.
 *
 * <p>Order, inside one transaction: lock the owner row (no device can be paired meanwhile); lock
 * their {@code owner_key} rows (no gateway or compaction can create a new sealing epoch for them:
 * the epoch's foreign key must share-lock the key row); append the owner's {@code ERASURE} entry to
 * the transparency log (the erasers delete it with the owner's other entries; its commitment stays);
 * then run every store's {@link OwnerDataEraser}, in their order: the sealed store (vault epoch keys overwritten with zeros,
 * then {@code seal_epoch}, {@code reading_batch}, {@code reading_segment}, {@code reading_day}),
 * the owner keys (crypto-shredding: {@code wrapped_private_key} overwritten with zeros of the same
 * length, then the rows deleted), devices (with the unpairing notification), consent
 * ({@code consent_event} — append-only except for this, see V5 — and {@code consent_grant}), co-op
 * memberships (a co-op they founded loses its founder), the privacy ledger, lease participation
 * and credits, data uses, shared attributes and finally {@code owner}; then the deployment entry
 * {@code OWNER_ERASED} (the receipt's id and time, no owner) and the receipt. Every table with an
 * {@code owner_id} column must be covered by an eraser: {@link ErasureCoverage} checks it against
 * the live schema, and the tests also scan every uuid column of the schema for the owner id.
 *
 * <p>Guarantees: once the transaction commits, no row in the database names the owner, and nothing
 * sealed for them can be opened even with the whole database and the KEK: their data keys could
 * only be re-derived with their X25519 private keys, which no longer exist wrapped anywhere in the
 * live tables. Another owner's id answers 404 (the caller resolves it through {@code
 * CallerOwner}); a concurrent second erasure waits for the lock and then answers 404.
 *
 * <p>Limits: PostgreSQL's MVCC means the overwrite and delete create new row versions; the old
 * versions, holding the wrapped key, stay in the table file until vacuumed, so after the commit
 * this runs {@code VACUUM owner_key} (outside the transaction: VACUUM cannot run inside one). That
 * makes the space reusable; the bytes may linger in free space until overwritten, and in WAL
 * archives and backups, which are the operator's concern — all of them are useless without the
 * KEK that wrapped them, so rotating the KEK and destroying the old one once backups made under it
 * expire completes the erasure (docs/decisions/009). A gateway caches a device's owner and public
 * key for up to 10 s; the erasure sends the unpairing notification for each of the owner's devices,
 * so gateways that listen forget them at commit, but a batch already sealed, or a gateway that
 * missed the notification, may still store a sealed batch for the erased owner under an epoch it
 * already had. Such rows are sealed to the destroyed key, so nobody can ever open them, and
 * compaction deletes rows whose owner no longer exists.
 */
@ApplicationScoped
public class OwnerErasure {

    private static final Logger LOG = Logger.getLogger(OwnerErasure.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    VaultSigner signer;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    SubjectHashes hashes;

    @Inject
    Instance<OwnerDataEraser> erasers;

    @Inject
    ErasureJournal journal;

    @Inject
    AuditLog audit;

    /**
     * Erases the owner {@code ownerId}, who must be signed in as {@code subject}, and returns the
     * signed receipt.
     *
     * @throws NotFound if the owner does not exist (any more) or is not {@code subject}'s
     */
    public ErasureReceipt.Signed erase(UUID ownerId, String subject) {
        ErasureReceipt.Signed signed = QuarkusTransaction.requiringNew().call(() -> eraseInTransaction(ownerId, subject));
        // Outside the database, so a restore from an older backup can erase this owner again.
        journal.append(signed.receipt());
        vacuumOwnerKeys();
        ErasureReceipt.Destroyed d = signed.receipt().destroyed();
        // No owner id or subject in the log: the receipt id links to the owner's own copy only.
        LOG.infof("erasure %s: destroyed %d owner keys, %d sealing epochs, %d batches, %d segments, %d devices,"
                        + " %d consent grants, %d co-op memberships, %d consent events, %d ledger charges",
                signed.receipt().receiptId(), d.ownerKeys(), d.sealEpochs(), d.readingBatches(), d.segments(), d.devices(),
                d.consentGrants(), d.coopMemberships(), d.consentEvents(), d.ledgerEntries());
        return signed;
    }

    /**
     * Erases again an owner the erasure journal says was erased, whom a restore from an older backup
     * brought back (ErasureJournal, docs/decisions/040): the same erasure, with no caller to check
     * and no new journal entry; the receipt is for the log only (the owner had theirs).
     */
    ErasureReceipt.Signed eraseAgain(UUID ownerId) {
        ErasureReceipt.Signed signed = QuarkusTransaction.requiringNew().call(() -> eraseInTransaction(ownerId, null));
        vacuumOwnerKeys();
        return signed;
    }

    /** {@code subject} null: a journal replay, erase whoever owns {@code ownerId}. */
    private ErasureReceipt.Signed eraseInTransaction(UUID ownerId, String subject) throws SQLException {
        ErasureReceipt.Destroyed destroyed;
        String erasedSubject;
        UUID receiptId = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            if (!lockOwner(c, ownerId, subject)) {
                throw new NotFound("owner " + ownerId);
            }
            // A journal replay knows no subject: the vault keeps only its keyed hash (decision 037).
            erasedSubject = subject != null ? subject : REPLAY_SUBJECT;
            // Lock the key rows before anything else touches them: from here on no new seal_epoch
            // row can reference them (its foreign-key check needs a share lock on the key row), so
            // the epoch count the sealed store's eraser returns is exact.
            lockKeys(c, ownerId);
            // The owner's own entry comes before the erasers: it is the last link of their chain, and
            // the erasers then delete it with the rest of their entries (decision 050) — its
            // commitment stays in the tree. The receipt id is fixed now so the entry can name it.
            audit.owner(ownerId, AuditKind.ERASURE, ownerEntry(receiptId, subject == null));
            Map<String, Integer> erased = new HashMap<>();
            for (OwnerDataEraser eraser : inOrder()) {
                erased.putAll(eraser.erase(c, ownerId));
            }
            destroyed = new ErasureReceipt.Destroyed(erased.get(OwnerKeyEraser.TABLE),
                    erased.get(SealedTables.SEAL_EPOCH), erased.get(SealedTables.READING_BATCH),
                    erased.get(SealedTables.READING_SEGMENT), erased.get(DeviceEraser.TABLE),
                    erased.get(ConsentEraser.GRANTS), erased.get(CoopEraser.MEMBERSHIPS), erased.get(ConsentEraser.EVENTS),
                    erased.get(LedgerEraser.TABLE));
        }
        Instant erasedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // What stays in the log of the erasure once the owner's entries are gone: that one happened,
        // when, and the receipt the owner holds — no owner id, no subject.
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("receiptId", receiptId.toString());
        marker.put("erasedAt", erasedAt.toString());
        audit.deployment(AuditKind.OWNER_ERASED, marker);
        ErasureReceipt receipt = new ErasureReceipt(ErasureReceipt.TYPE, receiptId, ownerId, erasedSubject, erasedAt,
                destroyed, signer.kid());
        // Signed inside the transaction: if signing failed, nothing would be erased without a receipt.
        try {
            return new ErasureReceipt.Signed(receipt, signer.sign(ErasureReceipt.JWS_TYPE, json.writeValueAsBytes(receipt)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing the erasure receipt failed", e);
        }
    }

    // PostgreSQL MVCC: the overwrite and the delete above only add row versions; the old ones, which
    // hold the wrapped key, stay in owner_key's file until VACUUM removes them (only once no open
    // snapshot can still see them; otherwise autovacuum does later). Not in the transaction: VACUUM
    // refuses to run inside one. Failure is logged, not answered: the erasure itself has committed.
    private void vacuumOwnerKeys() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            // owner, device and attributes too: their dead row versions hold the subject's hash, the
            // sealed names and the sealed attributes (decision 037).
            st.execute("vacuum owner_key, owner, device, owner_shared_attributes");
        } catch (SQLException e) {
            LOG.warnf("VACUUM owner_key after an erasure failed (SQLState %s); autovacuum will remove"
                    + " the old row versions later", e.getSQLState());
        }
    }

    /** The owner's ERASURE entry: the receipt id, and whether a journal replay erased them again. */
    private static Map<String, Object> ownerEntry(UUID receiptId, boolean replay) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("receiptId", receiptId.toString());
        d.put("journalReplay", replay);
        return d;
    }

    /** Every store's eraser, in the order they must run (see {@link OwnerDataEraser#order()}). */
    private List<OwnerDataEraser> inOrder() {
        return erasers.stream().sorted(Comparator.comparingInt(OwnerDataEraser::order)).toList();
    }

    /** The receipt's subject when the erasure journal erases an owner again (no caller signed in). */
    static final String REPLAY_SUBJECT = "erasure-journal-replay";

    /** Locks the owner's row; whether it exists and signs in as {@code subject} (any subject when null). */
    private boolean lockOwner(Connection c, UUID ownerId, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select subject, subject_hash from owner where owner_id = ? for update")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                byte[] hash = rs.getBytes(2);
                if (subject == null) {
                    return true;
                }
                return hash != null ? MessageDigest.isEqual(hash, hashes.owner(subject)) : subject.equals(rs.getString(1));
            }
        }
    }

    private static void lockKeys(Connection c, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select key_version from owner_key where owner_id = ? for update")) {
            ps.setObject(1, ownerId);
            ps.executeQuery().close();
        }
    }
}
