package org.vitalvault.vault.lease;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.Sex;
import org.vitalvault.policy.lease.CohortFilter;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.vault.http.Window;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * What a researcher signs to ask for a lease (JWS {@code typ} {@value SignedRequests#LEASE_REQUEST_TYP}).
 *
 * @param requestId    the organisation's id for this request; a second lease for the same id is refused
 * @param organisation the organisation's id, as registered (a request cannot be moved to another one)
 * @param issuedAt     when it was signed
 * @param purpose      one HL7 PurposeOfUse code
 * @param metrics      metric codes
 * @param kinds        aggregate kinds
 * @param granularity  the finest time bucket the queries will use
 * @param dataWindow   the readings the queries will cover
 * @param validity  when queries may be made
 * @param epsilon      the privacy budget asked for the whole lease
 * @param coop         the co-op the request is addressed to, or null
 * @param ageBands     only owners who share one of these age bands ({@code 30-39}), or null for any
 * @param sexes        only owners who share one of these sexes, or null for any
 * @param regions      only owners who share a region inside one of these ISO 3166 codes, or null for any
 */
public record LeaseRequestPayload(UUID requestId, UUID organisation, Instant issuedAt,
                                  @Schema(implementation = Purpose.class) String purpose, List<String> metrics,
                                  @Schema(type = SchemaType.ARRAY, implementation = AggregateKind.class) List<String> kinds,
                                  @Schema(implementation = Granularity.class) String granularity, Window dataWindow,
                                  Window validity,
                                  Double epsilon, UUID coop, List<String> ageBands, List<String> sexes,
                                  List<String> regions) implements SignedRequests.Fresh {

    /** The policy's request; every invalid field answers 400 naming it. */
    public LeaseRequest toRequest() {
        if (requestId == null) {
            throw InvalidInput.field("requestId", "must be a UUID");
        }
        if (epsilon == null) {
            throw InvalidInput.field("epsilon", "must be given");
        }
        try {
            Set<AggregateKind> k = kinds == null ? Set.of() : kinds.stream().map(AggregateKind::of).collect(Collectors.toSet());
            return new LeaseRequest(organisation, Purpose.ofCode(purpose), metrics == null ? Set.of() : Set.copyOf(metrics), k,
                    Granularity.of(granularity), dataWindow == null ? null : dataWindow.toTimeWindow("dataWindow"),
                    validity == null ? null : validity.toTimeWindow("validity"), epsilon,
                    cohort());
        } catch (NullPointerException e) {
            // The JDK's message names our variables ("because \"e0\" is null"): not the client's business.
            throw InvalidInput.field("payload", "must not hold null in a list or for a required field");
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "is invalid" : e.getMessage();
            if (message.startsWith("ageBand ") || message.startsWith("sex ")) {
                message = message.replaceFirst("^(ageBand|sex) ", "$1s: each ");
            }
            int space = message.indexOf(' ');
            String field = space > 0 ? message.substring(0, space).replace(":", "") : "payload";
            throw InvalidInput.field(field, message);
        }
    }

    private CohortFilter cohort() {
        return new CohortFilter(coop,
                ageBands == null ? Set.of() : ageBands.stream().map(AgeBand::of).collect(Collectors.toSet()),
                sexes == null ? Set.of() : sexes.stream().map(Sex::of).collect(Collectors.toSet()),
                regions == null ? Set.of() : Set.copyOf(regions));
    }
}
