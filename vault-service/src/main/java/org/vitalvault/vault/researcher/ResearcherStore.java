package org.vitalvault.vault.researcher;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.auth.Organisations;

/**
 * Researcher organisations in {@code researcher_org}, through Panache (plain CRUD); read fresh at
 * every call (approval takes effect at once). Writes join the caller's transaction.
 */
@ApplicationScoped
public class ResearcherStore implements Organisations {

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * Registers an organisation, pending approval; empty when the subject already manages one (also
     * when two registrations of one subject race: the loser's insert meets the unique subject).
     */
    public Optional<Organisation> register(String name, String subject, byte[] publicKey, Instant now) {
        if (ResearcherOrg.count("subject", subject) > 0) {
            return Optional.empty();
        }
        ResearcherOrg row = new ResearcherOrg();
        row.id = UUID.randomUUID();
        row.name = name;
        row.subject = subject;
        row.publicKey = publicKey.clone();
        row.kid = ResearcherKeys.kid(publicKey);
        row.status = Organisation.Status.PENDING;
        row.registeredAt = now;
        try {
            row.persistAndFlush();
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
        ResearcherOrg.update("status = ?1, approvedAt = ?2, approvedBy = ?3 where id = ?4 and status = ?5",
                Organisation.Status.APPROVED, now, operator, orgId, Organisation.Status.PENDING);
        return find(orgId);
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
