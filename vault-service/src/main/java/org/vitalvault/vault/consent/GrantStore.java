package org.vitalvault.vault.consent;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Terms;

/**
 * Owners' grants in {@code consent_grant}, as policy {@link ConsentGrant}s, through Panache (plain
 * CRUD) on the request's transaction (callers that change data are {@code @Transactional}); nothing
 * is cached, so every read sees the last committed revocation. The lease decision's population read
 * of this table is {@link ConsentStore#grantsFor}, which stays JDBC.
 */
@ApplicationScoped
public class GrantStore {

    /**
     * A grant as stored: the policy value and its bookkeeping.
     *
     * @param grant     the grant (its {@code revokedAt} included)
     * @param version   1 when created, one more per amendment
     * @param createdAt when it was created
     * @param amendedAt when it was last amended, or null
     */
    public record StoredGrant(ConsentGrant grant, int version, Instant createdAt, Instant amendedAt) {
    }

    /** Stores a new grant, version 1. */
    public void insert(ConsentGrant g, Instant createdAt) {
        GrantRow.of(g, createdAt).persist();
    }

    /**
     * The owner's grant, locked until the transaction ends when {@code forUpdate} (so an amendment and
     * a revocation of the same grant cannot interleave).
     */
    public Optional<StoredGrant> find(UUID owner, UUID grant, boolean forUpdate) {
        PanacheQuery<GrantRow> q = GrantRow.find("ownerId = ?1 and grantId = ?2", owner, grant);
        return (forUpdate ? q.withLock(LockModeType.PESSIMISTIC_WRITE) : q).firstResultOptional().map(GrantRow::toStored);
    }

    /** Every grant of the owner, revoked ones included, oldest first. */
    public List<StoredGrant> ofOwner(UUID owner) {
        return GrantRow.<GrantRow>list("ownerId = ?1 order by createdAt, grantId", owner).stream()
                .map(GrantRow::toStored).toList();
    }

    /** Replaces the terms of a grant that is not revoked; the version goes up by one. */
    public void amend(UUID owner, UUID grant, Terms terms, Instant at) {
        GrantRow row = unrevoked(owner, grant);
        row.terms = TermsFields.of(terms);
        row.version++;
        row.amendedAt = at;
    }

    /** Marks a grant that is not revoked as revoked at {@code at}. */
    public void revoke(UUID owner, UUID grant, Instant at) {
        unrevoked(owner, grant).revokedAt = at;
    }

    // Callers lock the row and check it is not revoked first; anything else is a bug, not a refusal.
    private static GrantRow unrevoked(UUID owner, UUID grant) {
        GrantRow row = GrantRow.findById(new GrantRow.Key(owner, grant));
        if (row == null || row.revokedAt != null) {
            throw new IllegalStateException("expected to change one unrevoked grant");
        }
        return row;
    }
}
