package org.vitalvault.vault.consent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What an owner consented to, or withdrew, at one instant: the payload of the JWS the vault signs
 * ({@code typ} {@value #JWS_TYPE}) and hands back on every consent change. Shaped after the Kantara
 * Consent Receipt v1.1 and ISO/IEC TS 27560 (docs/decisions/012 maps the fields): the
 * {@code controller} is the vault, the {@code principal} the owner, {@code purposes} HL7
 * PurposeOfUse codes, {@code data} what may be used and how finely, {@code period} when.
 *
 * @param type       always {@value #TYPE}
 * @param version    the version of this document's shape, {@value #VERSION}
 * @param receiptId  unique per change; the owner's consent event has the same id
 * @param action     what happened
 * @param timestamp  when it happened
 * @param controller who holds the data and answers for the consent
 * @param principal  whose data it is
 * @param consent    which consent, at which version, for whom
 * @param purposes   what the data may be used for
 * @param data       which data, how aggregated, how finely, from which span of time
 * @param period     when the consent may be used, and when it was withdrawn
 * @param limits     the owner's privacy and price terms
 */
public record ConsentReceipt(String type, String version, UUID receiptId, ConsentAction action, Instant timestamp,
                             Controller controller, Principal principal, Consent consent, List<PurposeCode> purposes,
                             Data data, Period period, Limits limits) {

    /** The receipt's {@code type} member. */
    public static final String TYPE = "vitalvault.consent-receipt";
    /** The receipt's {@code version} member: 2 since {@code finestGranularity} became {@code granularity} (decision 022). */
    public static final String VERSION = "2";
    /** The {@code typ} of the receipt's JWS header. */
    public static final String JWS_TYPE = "vitalvault.consent-receipt";
    /** The HL7 v3 ActReason code system, home of the PurposeOfUse codes (OID 2.16.840.1.113883.5.8). */
    public static final String PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    /** The data controller: the vault, identified by the key that signed the receipt ({@code GET /vault/keys}). */
    public record Controller(String name, String vaultKid) {
    }

    /** The data principal: the owner. */
    public record Principal(UUID ownerId) {
    }

    /**
     * The consent itself.
     *
     * @param id       the grant's id (for a co-op membership, the id of the grant it amounts to)
     * @param version  the grant's version (1, then one more per amendment)
     * @param audience who may use it
     */
    public record Consent(UUID id, int version, AudienceBody audience) {
    }

    /** One purpose, coded. */
    public record PurposeCode(String code, String system, String display) {
    }

    /** The data covered: metric codes of the catalogue, aggregate kinds, the finest time bucket, the span of readings. */
    public record Data(Set<String> metrics, List<String> kinds, String granularity, WindowBody dataWindow) {
    }

    /** The validity, and the revocation (or the member leaving), if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Period(Instant from, Instant until, Instant revokedAt) {
    }

    /** Smallest cohort, privacy loss ε per lease and per rolling year, price tier. */
    public record Limits(int minimumCohort, double epsilonPerLease, double epsilonPerYear, String priceTier) {
    }

    /** A receipt and the same receipt as the vault's compact JWS (verify it against {@code GET /vault/keys}). */
    public record Signed(ConsentReceipt receipt, String jws) {
    }
}
