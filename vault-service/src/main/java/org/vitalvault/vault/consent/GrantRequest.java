package org.vitalvault.vault.consent;

import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.vault.refusal.FieldErrors;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * What an owner sends to create a grant ({@code audience} and {@code terms}) or to amend one
 * ({@code terms}; an audience, if sent, must be the grant's own). Validated by building the policy
 * module's values, so its rules are the only rules; every invalid field is answered at once.
 */
public record GrantRequest(AudienceBody audience, TermsBody terms) {

    /**
     * The grant to store.
     *
     * @throws org.vitalvault.vault.refusal.InvalidInput naming every invalid field
     */
    ConsentGrant toGrant(UUID id, UUID owner, Instant now, SystemPolicy system) {
        FieldErrors errors = new FieldErrors();
        Audience a = audience(errors);
        Terms t = terms(now, system, errors);
        errors.throwIfAny();
        try {
            return new ConsentGrant(id, owner, a, t, null);
        } catch (IllegalArgumentException e) {
            // The one rule that spans both: a purpose audience must be among the purposes.
            errors.add("terms.purposes", e.getMessage());
            errors.throwIfAny();
            throw e;
        }
    }

    /**
     * The new terms of {@code current}.
     *
     * @throws org.vitalvault.vault.refusal.InvalidInput naming every invalid field
     */
    ConsentGrant amend(ConsentGrant current, Instant now, SystemPolicy system) {
        FieldErrors errors = new FieldErrors();
        if (audience != null) {
            Audience a = audience(errors);
            if (a != null && !a.equals(current.audience())) {
                errors.add("audience", "cannot be changed by an amendment; revoke this grant and create another");
            }
        }
        Terms t = terms(now, system, errors);
        errors.throwIfAny();
        try {
            return new ConsentGrant(current.id(), current.owner(), current.audience(), t, null);
        } catch (IllegalArgumentException e) {
            errors.add("terms.purposes", e.getMessage());
            errors.throwIfAny();
            throw e;
        }
    }

    private Terms terms(Instant now, SystemPolicy system, FieldErrors errors) {
        if (terms == null) {
            errors.add("terms", "must be given");
            return null;
        }
        return terms.toTerms("terms", now, system, errors);
    }

    private Audience audience(FieldErrors errors) {
        if (audience == null) {
            errors.add("audience", "must be given: {\"researcher\": organisation id} or {\"purpose\": PurposeOfUse code}");
            return null;
        }
        if (audience.coop() != null) {
            errors.add("audience.coop", "owners grant to a co-op by joining it: PUT /owners/{ownerId}/memberships/{coopId}");
            return null;
        }
        if ((audience.researcher() == null) == (audience.purpose() == null)) {
            errors.add("audience", "must name exactly one of researcher and purpose");
            return null;
        }
        if (audience.researcher() != null) {
            return new Audience.Researcher(audience.researcher());
        }
        try {
            return new Audience.AnyResearcherFor(Purpose.ofCode(audience.purpose()));
        } catch (IllegalArgumentException e) {
            errors.add("audience.purpose", e.getMessage());
            return null;
        }
    }
}
