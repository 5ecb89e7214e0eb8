package org.vitalvault.vault.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.vault.keys.VaultSigner;

/**
 * Issues the receipt of a consent change: builds it from the grant as it stands after the change,
 * signs it with the vault's key (the same signer and JWS form as the erasure receipt), and records
 * the change in the owner's consent events. Call it inside the transaction that makes the change,
 * so there is never a change without a receipt and an event, nor the reverse.
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
        return new ConsentReceipt.Signed(receipt, jws);
    }
}
