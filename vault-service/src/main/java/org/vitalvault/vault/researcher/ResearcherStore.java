package org.vitalvault.vault.researcher;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.auth.Organisations;
import org.vitalvault.vault.refusal.Conflict;

/**
 * Researcher organisations in {@code researcher_org}, their status changes and their key history,
 * through Panache (plain CRUD); read fresh at every call (approval, suspension and a key rotation
 * take effect at once). Writes join the caller's transaction.
 *
 * <p>An operator's approval, suspension and reinstatement each append their entry to the transparency
 * log (issue 17) after their own writes, in the same transaction: the change is on record iff its
 * entry is. An entry names the organisation, the statuses and the status change's id and the SHA-256
 * of its reason — not the reason's text nor the operator (free text and a login subject have no place
 * in a log kept plain forever; the status change row holds them, and the digest pins them).
 */
@ApplicationScoped
public class ResearcherStore implements Organisations {

    private static final String UNIQUE_VIOLATION = "23505";

    @Inject
    AuditLog audit;

    /**
     * Registers an organisation, pending approval; empty when the subject already manages one (also
     * when two registrations of one subject race: the loser's insert meets the unique subject hash).
     * Only the subject's keyed hash is stored; {@code subject} finds a row from before V14.
     */
    public Optional<Organisation> register(String name, byte[] subjectHash, String subject, byte[] publicKey, Instant now) {
        if (ResearcherOrg.count("subjectHash = ?1 or subject = ?2", subjectHash, subject) > 0) {
            return Optional.empty();
        }
        ResearcherOrg row = new ResearcherOrg();
        row.id = UUID.randomUUID();
        row.name = name;
        row.subjectHash = subjectHash.clone();
        row.publicKey = publicKey.clone();
        row.kid = ResearcherKeys.kid(publicKey);
        row.status = Organisation.Status.PENDING;
        row.registeredAt = now;
        try {
            row.persistAndFlush();
            ResearcherKey.current(row.id, publicKey, now).persist();
        } catch (PersistenceException e) {
            if (uniqueViolation(e)) {
                // The transaction is rollback-only now; the caller refuses, which ends it.
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(row.toOrganisation());
    }

    @Override
    public Optional<Organisation> find(UUID orgId) {
        return ResearcherOrg.<ResearcherOrg>findByIdOptional(orgId).map(ResearcherOrg::toOrganisation);
    }

    /** Approves a pending organisation; empty when it does not exist. Approving twice keeps the first approval. */
    public Optional<Organisation> approve(UUID orgId, String operator, Instant now) {
        // One conditional update, as before: two operators approving at once leave the first approval.
        int approved = ResearcherOrg.update("status = ?1, approvedAt = ?2, approvedBy = ?3 where id = ?4 and status = ?5",
                Organisation.Status.APPROVED, now, operator, orgId, Organisation.Status.PENDING);
        if (approved == 1) {
            // Only the approval that happened: a repeated one changes nothing and logs nothing.
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("organisationId", orgId.toString());
            details.put("status", Organisation.Status.APPROVED.name());
            details.put("previousStatus", Organisation.Status.PENDING.name());
            audit.deployment(AuditKind.ORGANISATION_APPROVED, details);
        }
        return find(orgId);
    }

    /**
     * Suspends the organisation: it may neither lease nor query from the moment this commits. Empty
     * when it does not exist.
     *
     * @throws Conflict when it is suspended already (the suspension in force keeps its who, when and why)
     */
    public Optional<Organisation> suspend(UUID orgId, String operator, String reason, Instant now) {
        Optional<ResearcherOrg> found = lock(orgId);
        found.ifPresent(row -> {
            if (row.status == Organisation.Status.SUSPENDED) {
                throw new Conflict("researcher-already-suspended", "Already suspended",
                        "this organisation is suspended since " + row.suspendedAt + "; reinstate it before suspending it again");
            }
            Organisation.Status previous = row.status;
            row.status = Organisation.Status.SUSPENDED;
            row.suspendedAt = now;
            row.suspendedBy = operator;
            row.suspensionReason = reason;
            logChange(AuditKind.ORGANISATION_SUSPENDED, previous, recordChange(row, reason, operator, now));
        });
        return found.map(ResearcherOrg::toOrganisation);
    }

    /**
     * Lifts a suspension: the organisation is approved again, or pending when it was suspended before
     * an operator approved it. Empty when it does not exist.
     *
     * @throws Conflict when it is not suspended
     */
    public Optional<Organisation> reinstate(UUID orgId, String operator, String reason, Instant now) {
        Optional<ResearcherOrg> found = lock(orgId);
        found.ifPresent(row -> {
            if (row.status != Organisation.Status.SUSPENDED) {
                throw new Conflict("researcher-not-suspended", "Not suspended",
                        "this organisation is " + row.status + "; only a suspended organisation can be reinstated");
            }
            Organisation.Status previous = row.status;
            row.status = row.approvedAt == null ? Organisation.Status.PENDING : Organisation.Status.APPROVED;
            row.suspendedAt = null;
            row.suspendedBy = null;
            row.suspensionReason = null;
            logChange(AuditKind.ORGANISATION_REINSTATED, previous, recordChange(row, reason, operator, now));
        });
        return found.map(ResearcherOrg::toOrganisation);
    }

    /** Every suspension and reinstatement of the organisation, oldest first. */
    public List<StatusChange> statusChangesOf(UUID orgId) {
        return StatusChange.list("orgId = ?1 order by id", orgId);
    }

    /**
     * The organisation as it is now, its row locked until the caller's transaction ends: a key
     * rotation verifies the rotation's signature against the key this returns, and no other rotation
     * (or suspension) of the same organisation can change it in between.
     */
    public Optional<Organisation> lockForUpdate(UUID orgId) {
        return lock(orgId).map(ResearcherOrg::toOrganisation);
    }

    /**
     * Makes {@code publicKey} the organisation's current key from {@code now} and retires the current
     * one at the same instant; call it with the row locked by {@link #lockForUpdate}. Every key stays
     * listed ({@link #keysOf}), the new one with the signed rotation that made it current.
     *
     * @throws Conflict when the organisation has had this key before (current or retired)
     */
    public ResearcherKey rotate(UUID orgId, byte[] publicKey, String rotationJws, Instant now) {
        String kid = ResearcherKeys.kid(publicKey);
        if (ResearcherKey.count("orgId = ?1 and kid = ?2", orgId, kid) > 0) {
            throw new Conflict("researcher-key-reused", "Key used before",
                    "this organisation has had the key " + kid + " before; a retired key never becomes current again,"
                            + " rotate to a newly generated key");
        }
        ResearcherKey.update("retiredAt = ?1 where orgId = ?2 and retiredAt is null", now, orgId);
        ResearcherKey next = ResearcherKey.current(orgId, publicKey, now);
        next.rotationJws = rotationJws;
        next.persist();
        ResearcherOrg row = lock(orgId).orElseThrow(() -> new IllegalStateException("rotating the key of no organisation"));
        row.publicKey = publicKey.clone();
        row.kid = kid;
        return next;
    }

    /** Every key the organisation has had, the current one last. */
    public List<ResearcherKey> keysOf(UUID orgId) {
        return ResearcherKey.list("orgId = ?1 order by validFrom, kid", orgId);
    }

    public Optional<ResearcherKey> key(UUID orgId, String kid) {
        return ResearcherKey.<ResearcherKey>find("orgId = ?1 and kid = ?2", orgId, kid).firstResultOptional();
    }

    private static Optional<ResearcherOrg> lock(UUID orgId) {
        Optional<ResearcherOrg> row = ResearcherOrg.findByIdOptional(orgId);
        // refresh, not find with a lock mode: the caller may have read the row earlier in this transaction
        // (CallerResearcher), and a lock taken on an entity already loaded does not re-read it, so a key
        // rotated meanwhile by another transaction would go unseen. refresh re-reads it "for update".
        row.ifPresent(r -> ResearcherOrg.getEntityManager().refresh(r, LockModeType.PESSIMISTIC_WRITE));
        return row;
    }

    private static StatusChange recordChange(ResearcherOrg row, String reason, String operator, Instant now) {
        StatusChange change = new StatusChange();
        change.orgId = row.id;
        change.status = row.status;
        change.reason = reason;
        change.changedBy = operator;
        change.changedAt = now;
        change.persist();
        return change;
    }

    /** Appends the change's entry, after its writes (flushed first: the row and the change row are written by then). */
    private void logChange(AuditKind kind, Organisation.Status previous, StatusChange change) {
        ResearcherOrg.flush();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("organisationId", change.orgId.toString());
        details.put("status", change.status.name());
        details.put("previousStatus", previous.name());
        details.put("statusChangeId", change.id);
        details.put("reasonSha256", sha256Hex(change.reason));
        audit.deployment(kind, details);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
