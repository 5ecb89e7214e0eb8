package org.vitalvault.vault.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.keys.VaultSigner;

/**
 * Issues the receipt of a consent change: builds it from the grant as it stands after the change,
 * signs it with the vault's key (the same signer and JWS form as the erasure receipt), records
 * the change in the owner's consent events and appends it to the owner's chain of the transparency
 * log. Call it inside the transaction that makes the change, after its writes, so there is never a
 * change without a receipt, an event and a log entry, nor the reverse.
 */
@ApplicationScoped
public class ConsentReceipts {

    /** The controller's name in every receipt. */
    public static final String CONTROLLER = "Vital Vault";

    @Inject
    VaultSigner signer;

    @Inject
    ObjectMapper json;

    @Inject
    ConsentEvents events;

    @Inject
    AuditLog audit;

    /**
     * @param action  what happened
     * @param grant   the grant after the change (for a co-op membership, the grant it amounts to)
     * @param version the grant's version after the change
     * @param coopId  the co-op joined or left, else null
     * @param actor   the bearer-token subject that made the change
     * @param at      when
     */
    public ConsentReceipt.Signed issue(ConsentAction action, ConsentGrant grant, int version, UUID coopId, String actor,
                                       Instant at) {
        Terms t = grant.terms();
        ConsentReceipt receipt = new ConsentReceipt(ConsentReceipt.TYPE, ConsentReceipt.VERSION, UUID.randomUUID(), action, at,
                new ConsentReceipt.Controller(CONTROLLER, signer.kid()),
                new ConsentReceipt.Principal(grant.owner()),
                new ConsentReceipt.Consent(grant.id(), version, AudienceBody.of(grant.audience())),
                t.purposes().stream().map(p -> new ConsentReceipt.PurposeCode(p.name(), ConsentReceipt.PURPOSE_SYSTEM,
                        p.display())).toList(),
                new ConsentReceipt.Data(t.metrics(), t.kinds().stream().map(Enum::name).toList(), t.granularity().name(),
                        WindowBody.of(t.dataWindow())),
                new ConsentReceipt.Period(t.validity().from(), t.validity().until(), grant.revokedAt()),
                new ConsentReceipt.Limits(t.minimumCohort(), t.epsilonPerLease(), t.epsilonPerYear(), t.priceTier().name()));
        String jws;
        try {
            jws = signer.sign(ConsentReceipt.JWS_TYPE, json.writeValueAsBytes(receipt));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing a consent receipt failed", e);
        }
        events.append(grant.owner(), receipt, coopId, actor, jws);
        audit.owner(grant.owner(), kind(action), auditDetails(receipt, coopId));
        return new ConsentReceipt.Signed(receipt, jws);
    }

    private static AuditKind kind(ConsentAction action) {
        return switch (action) {
            case GRANT_CREATED -> AuditKind.CONSENT_GRANTED;
            case GRANT_AMENDED -> AuditKind.CONSENT_AMENDED;
            case GRANT_REVOKED -> AuditKind.CONSENT_WITHDRAWN;
            case COOP_JOINED -> AuditKind.COOP_JOINED;
            case COOP_LEFT -> AuditKind.COOP_LEFT;
        };
    }

    /**
     * The log entry's details: the receipt's id (the owner holds the signed receipt, so the entry
     * links to it), the grant, who it is for and a summary of its terms. The actor is left out: it
     * is a login subject, which the vault keeps only as a keyed hash (decision 037).
     */
    static Map<String, Object> auditDetails(ConsentReceipt r, UUID coopId) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("receiptId", r.receiptId().toString());
        d.put("action", r.action().code());
        d.put("grantId", r.consent().id().toString());
        d.put("version", r.consent().version());
        d.put("counterparty", counterparty(r.consent().audience()));
        if (coopId != null) {
            d.put("coopId", coopId.toString());
        }
        d.put("purposes", r.purposes().stream().map(ConsentReceipt.PurposeCode::code).toList());
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("metrics", r.data().metrics().stream().sorted().toList());
        terms.put("kinds", r.data().kinds());
        terms.put("granularity", r.data().granularity());
        WindowBody dw = r.data().dataWindow();
        terms.put("dataWindow", dw == null ? null : window(dw.from(), dw.until()));
        terms.put("validity", window(r.period().from(), r.period().until()));
        terms.put("minimumCohort", r.limits().minimumCohort());
        terms.put("epsilonPerLease", r.limits().epsilonPerLease());
        terms.put("epsilonPerYear", r.limits().epsilonPerYear());
        terms.put("priceTier", r.limits().priceTier());
        d.put("terms", terms);
        if (r.period().revokedAt() != null) {
            d.put("revokedAt", r.period().revokedAt().toString());
        }
        return d;
    }

    private static Map<String, String> counterparty(AudienceBody a) {
        if (a.researcher() != null) {
            return Map.of("organisation", a.researcher().toString());
        }
        if (a.purpose() != null) {
            return Map.of("anyResearcherFor", a.purpose());
        }
        return Map.of("coop", a.coop().toString());
    }

    private static Map<String, String> window(Instant from, Instant until) {
        Map<String, String> w = new LinkedHashMap<>();
        w.put("from", from == null ? null : from.toString());
        w.put("until", until == null ? null : until.toString());
        return w;
    }
}
