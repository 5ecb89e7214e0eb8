package org.vitalvault.vault.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vitalvault.vault.refusal.NotFound;

/**
 * The owner behind the current bearer token. Resolving a path's owner id through here is the one
 * ownership check: another owner's id is refused as {@link NotFound} exactly like an unknown one, so ids cannot be probed.
 */
@RequestScoped
public class CallerOwner {

    @Inject
    JsonWebToken token;

    @Inject
    SubjectHashes hashes;

    private byte[] subjectHash;

    /** The caller's owner record, when they have registered. */
    public Owner require(UUID pathOwnerId) {
        Owner owner = Owner.findById(pathOwnerId);
        if (owner == null || !owner.signsInAs(subjectHash(), subject())) {
            throw new NotFound("owner " + pathOwnerId);
        }
        return owner;
    }

    /** The owner record of the token's subject, if it has registered (found by the subject's keyed hash). */
    public Optional<Owner> registered() {
        return Owner.findBySubject(subjectHash(), subject());
    }

    public String subject() {
        return token.getSubject();
    }

    /** The token's subject as owner rows store it (computed once per request). */
    public byte[] subjectHash() {
        if (subjectHash == null) {
            subjectHash = hashes.owner(subject());
        }
        return subjectHash.clone();
    }
}
