package org.vitalvault.vault.consent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.Purpose;

/**
 * Who a grant is for, as JSON: exactly one of {@code researcher} (an organisation's id) and
 * {@code purpose} (any researcher, for this HL7 PurposeOfUse code). In receipts of co-op
 * memberships the audience is {@code coop}; an owner grants to a co-op by joining it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AudienceBody(UUID researcher, @Schema(implementation = Purpose.class) String purpose, UUID coop) {

    static AudienceBody of(Audience audience) {
        if (audience instanceof Audience.Researcher r) {
            return new AudienceBody(r.organisation(), null, null);
        }
        if (audience instanceof Audience.AnyResearcherFor p) {
            return new AudienceBody(null, p.purpose().name(), null);
        }
        return new AudienceBody(null, null, ((Audience.Coop) audience).coop());
    }
}
