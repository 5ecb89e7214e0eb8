package org.vitalvault.vault.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vitalvault.vault.refusal.NotFound;
import org.vitalvault.vault.refusal.NotPermitted;

/**
 * The organisation behind the current bearer token: the one check that a path's organisation id
 * is the caller's. Another organisation's id is refused as {@link NotFound} exactly like an unknown one.
 */
@RequestScoped
public class CallerResearcher {

    @Inject
    JsonWebToken token;

    @Inject
    Organisations store;

    @Inject
    SubjectHashes hashes;

    public Organisation require(UUID orgId) {
        byte[] hash = subjectHash();
        return store.find(orgId).filter(o -> o.managedBy(hash, token.getSubject()))
                .orElseThrow(() -> new NotFound("organisation " + orgId));
    }

    /**
     * {@link #require}, and the organisation must be approved by an operator and not suspended (else
     * {@link NotPermitted}). Lease requests and queries call this before they open the signed body or
     * read anything, and the organisation is read fresh: a suspension stops the next call.
     */
    public Organisation requireApproved(UUID orgId) {
        Organisation org = require(orgId);
        if (org.suspended()) {
            throw suspended();
        }
        if (!org.approved()) {
            throw new NotPermitted("researcher-not-approved", "Organisation not approved",
                    "an operator has not approved this organisation yet; it may not lease or query");
        }
        return org;
    }

    public String subject() {
        return token.getSubject();
    }

    /** The token's subject as organisation rows store it. */
    public byte[] subjectHash() {
        return hashes.organisation(token.getSubject());
    }

    /** The refusal for a suspended organisation (also raised inside a release that a suspension overtook). */
    public static NotPermitted suspended() {
        return new NotPermitted("researcher-suspended", "Organisation suspended",
                "an operator suspended this organisation; it may not lease or query until reinstated");
    }
}
