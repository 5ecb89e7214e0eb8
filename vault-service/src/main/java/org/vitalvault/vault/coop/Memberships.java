package org.vitalvault.vault.coop;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.CoopMembership;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.vault.consent.ConsentAction;
import org.vitalvault.vault.consent.ConsentReceipt;
import org.vitalvault.vault.consent.ConsentReceipts;
import org.vitalvault.vault.consent.TermsBody;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.notify.Sentences;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.FieldErrors;
import org.vitalvault.vault.refusal.NotFound;

/**
 * Owners join co-ops (adopting the standing terms, optionally tightened by their own) and leave
 * them. Each change, its signed receipt — for the grant the membership amounts to —, its consent
 * event and the owner's notification are one transaction; a departure counts from the next lease decision on.
 */
@ApplicationScoped
public class Memberships {

    @Inject
    CoopStore coops;

    @Inject
    ConsentReceipts receipts;

    @Inject
    SystemPolicy system;

    @Inject
    OwnerNotices notices;

    /** A membership after a change, with the receipt of the change. */
    public record MembershipChange(MembershipView membership, ConsentReceipt receipt, String jws) {
    }

    /**
     * @param ownTerms the member's own terms, or null to take the co-op's as they are; no term may be
     *                 looser than the co-op's (InvalidInput naming the first that is)
     * @throws NotFound unknown co-op; Conflict already a member or the co-op's terms have ended
     */
    @Transactional
    public MembershipChange join(UUID owner, UUID coopId, TermsBody ownTerms, String actor, Instant now) {
        StoredCoop coop = coops.find(coopId).orElseThrow(() -> new NotFound("co-op " + coopId));
        Terms own = ownTerms(coop, ownTerms, now);
        if (!coop.terms().terms().validity().until().isAfter(now)) {
            throw new Conflict("coop-terms-ended", "Co-op terms ended",
                    "the standing terms of co-op " + coopId + " ended at " + coop.terms().terms().validity().until());
        }
        if (coops.currentMembership(owner, coopId).isPresent()) {
            throw CoopStore.alreadyMember(coopId);
        }
        CoopMembership membership = new CoopMembership(owner, coopId, now, null, own);
        ConsentGrant adopted = coop.terms().adoptedBy(membership).orElseThrow(() -> new Conflict(
                "coop-terms-ended", "Co-op terms ended", "the standing terms of co-op " + coopId + " admit nothing from now on"));
        coops.join(membership);
        ConsentReceipt.Signed signed = receipts.issue(ConsentAction.COOP_JOINED, adopted, 1, coopId, actor, now);
        notices.post(owner, new Notice(NoticeKind.CONSENT_CHANGE, Sentences.coopJoined(coop.name(),
                adopted.terms().metrics(), adopted.terms().validity().until())));
        return new MembershipChange(MembershipView.of(membership, coop), signed.receipt(), signed.jws());
    }

    /**
     * Ends the owner's membership now: from the next decision on, their data does not count in the co-op's leases.
     *
     * @throws NotFound when the owner is not a member
     */
    @Transactional
    public MembershipChange leave(UUID owner, UUID coopId, String actor, Instant now) {
        StoredCoop coop = coops.find(coopId).orElseThrow(() -> new NotFound("co-op " + coopId));
        CoopMembership current = coops.currentMembership(owner, coopId)
                .orElseThrow(() -> new NotFound("membership of co-op " + coopId));
        coops.leave(owner, coopId, now);
        CoopMembership left = new CoopMembership(owner, coopId, current.joinedAt(), now, current.ownTerms());
        ConsentGrant ended = coop.terms().adoptedBy(left)
                .orElseThrow(() -> new IllegalStateException("a stored membership adopts nothing"));
        ConsentReceipt.Signed signed = receipts.issue(ConsentAction.COOP_LEFT, ended, 1, coopId, actor, now);
        notices.post(owner, new Notice(NoticeKind.CONSENT_CHANGE, Sentences.coopLeft(coop.name())));
        return new MembershipChange(MembershipView.of(left, coop), signed.receipt(), signed.jws());
    }

    private Terms ownTerms(StoredCoop coop, TermsBody body, Instant now) {
        if (body == null) {
            return null;
        }
        FieldErrors errors = new FieldErrors();
        Terms own = body.toTerms("ownTerms", now, system, errors);
        errors.throwIfAny();
        try {
            return coop.terms().requireNoLooserThanCoop(own);
        } catch (IllegalArgumentException e) {
            TermsBody.policyError("ownTerms", e, errors);
            errors.throwIfAny();
            throw e;
        }
    }
}
