package org.vitalvault.vault.consent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.vault.auth.Organisations;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.notify.Sentences;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.NotFound;

/**
 * Creates, amends and revokes grants. Each change, its signed receipt, its consent event and the
 * owner's notification of it are one transaction. A revocation is in force once it commits: nothing caches grants, and every
 * lease decision loads them afresh ({@link ConsentStore}).
 */
@ApplicationScoped
public class Consents {

    @Inject
    GrantStore grants;

    @Inject
    ConsentReceipts receipts;

    @Inject
    OwnerNotices notices;

    @Inject
    Organisations organisations;

    /** A grant after a change, with the receipt of the change. */
    public record GrantChange(GrantView grant, ConsentReceipt receipt, String jws) {
    }

    @Transactional
    public GrantChange create(ConsentGrant grant, String actor, Instant at) {
        grants.insert(grant, at);
        return change(ConsentAction.GRANT_CREATED, new GrantStore.StoredGrant(grant, 1, at, null), actor, at);
    }

    /**
     * Replaces the terms of the owner's grant.
     *
     * @param amend the grant with its new terms, from the current one (see {@link GrantRequest#amend})
     * @throws NotFound when the owner has no such grant; Conflict when it is revoked
     */
    @Transactional
    public GrantChange amend(UUID owner, UUID grantId, Function<ConsentGrant, ConsentGrant> amend,
                             String actor, Instant at) {
        GrantStore.StoredGrant current = unrevoked(owner, grantId);
        ConsentGrant amended = amend.apply(current.grant());
        grants.amend(owner, grantId, amended.terms(), at);
        return change(ConsentAction.GRANT_AMENDED,
                new GrantStore.StoredGrant(amended, current.version() + 1, current.createdAt(), at), actor, at);
    }

    /**
     * Revokes the owner's grant at {@code at}: from then on no decision counts it.
     *
     * @throws NotFound when the owner has no such grant; Conflict when it is revoked already
     */
    @Transactional
    public GrantChange revoke(UUID owner, UUID grantId, String actor, Instant at) {
        GrantStore.StoredGrant current = unrevoked(owner, grantId);
        grants.revoke(owner, grantId, at);
        return change(ConsentAction.GRANT_REVOKED, new GrantStore.StoredGrant(current.grant().revoked(at),
                current.version(), current.createdAt(), current.amendedAt()), actor, at);
    }

    // Locks the row: an amendment and a revocation of one grant happen one after the other.
    private GrantStore.StoredGrant unrevoked(UUID owner, UUID grantId) {
        GrantStore.StoredGrant current = grants.find(owner, grantId, true)
                .orElseThrow(() -> new NotFound("grant " + grantId));
        if (current.grant().revokedAt() != null) {
            throw new Conflict("grant-revoked", "Grant revoked",
                    "grant " + grantId + " was revoked at " + current.grant().revokedAt() + "; create a new grant instead");
        }
        return current;
    }

    private GrantChange change(ConsentAction action, GrantStore.StoredGrant after, String actor, Instant at) {
        ConsentReceipt.Signed signed = receipts.issue(action, after.grant(), after.version(), null, actor, at);
        notices.post(after.grant().owner(), new Notice(NoticeKind.CONSENT_CHANGE, sentence(action, after.grant())));
        return new GrantChange(GrantView.of(after, at), signed.receipt(), signed.jws());
    }

    /** The owner's notification of the change, naming who the grant is for as the owner knows them. */
    private String sentence(ConsentAction action, ConsentGrant grant) {
        Terms t = grant.terms();
        String audience = audience(grant.audience());
        return switch (action) {
            case GRANT_CREATED -> Sentences.consentGiven(audience, t.metrics(), t.purposes(), t.validity().until());
            case GRANT_AMENDED -> Sentences.consentChanged(audience, t.metrics(), t.purposes(), t.validity().until());
            default -> Sentences.consentWithdrawn(audience, t.metrics());
        };
    }

    private String audience(Audience audience) {
        if (audience instanceof Audience.Researcher r) {
            return organisations.find(r.organisation()).map(o -> o.name()).orElse("a research organisation");
        }
        if (audience instanceof Audience.AnyResearcherFor p) {
            return Sentences.anyResearcherFor(p.purpose());
        }
        return "a co-op";
    }
}
