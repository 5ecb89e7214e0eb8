package org.vitalvault.vault.lease;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.vitalvault.vault.http.Window;

/**
 * The lease as the vault signs it (JWS {@code typ} {@value #JWS_TYPE}, the vault's Ed25519 key at
 * {@code GET /vault/keys}): the effective terms, a noisy estimate of the eligible cohort's size (never
 * who, never the exact number), the price made from that estimate, the expiry and the ε budget.
 * Verifiable offline ({@code deploy/verify-lease.sh}). Nothing in it depends on the data except
 * through noise that was paid for (decision 024).
 *
 * @param type          always {@value #TYPE}
 * @param version       format version, {@value #VERSION}
 * @param leaseId       the lease's id, used in every query
 * @param requestId     the organisation's id of the signed request this answers
 * @param requestDigest SHA-256 (hex) of the signed request as received, binding the answer to it
 * @param issuedAt      when the vault approved it
 * @param issuer        the vault and its key id
 * @param organisation  the lessee
 * @param terms         what the lease allows
 * @param cohortSize    a noisy estimate of how many owners were eligible at approval (at least
 *                      {@code terms.minimumCohort}; the lease is approved only then)
 * @param cohortSizeStddev the standard deviation of that estimate's noise
 * @param discoveryEpsilon the ε this request spent of the organisation's discovery budget
 * @param price         what the lease costs the organisation once it runs a query: per price tier, the
 *                      noisy number of eligible owners times that tier's credit
 * @param expiresAt     the end of the lease period
 */
public record LeaseDocument(String type, int version, UUID leaseId, UUID requestId, String requestDigest, Instant issuedAt,
                            Issuer issuer, Lessee organisation, LeaseTerms terms, long cohortSize, double cohortSizeStddev,
                            double discoveryEpsilon, Price price, Instant expiresAt) {

    /** The document type. */
    public static final String TYPE = "vitalvault.lease";
    /**
     * The format version: 2 since the lease period became {@code validity} (decision 022); 3 since the
     * cohort size and price are noisy estimates (decision 024).
     */
    public static final int VERSION = 3;
    /** The JWS {@code typ} of a signed lease document. */
    public static final String JWS_TYPE = "vitalvault.lease";

    /** The vault as issuer. */
    public record Issuer(String name, String kid) {
    }

    /** The organisation leasing, and the key its requests are signed with. */
    public record Lessee(UUID id, String name, String kid) {
    }

    /**
     * The effective terms.
     *
     * @param epsilon the lease's privacy budget: its queries together spend at most this much
     * @param cohort  the shared attributes the cohort is selected on (empty lists: any)
     */
    public record LeaseTerms(String purpose, List<String> metrics, List<String> kinds, String granularity, Window dataWindow,
                             Window validity, UUID coop, int minimumCohort, double epsilon, Cohort cohort) {
    }

    /** A cohort filter on shared attributes, as the request named it. */
    public record Cohort(List<String> ageBands, List<String> sexes, List<String> regions) {
    }

    /** A price in euro cents. */
    public record Price(long euroCents, String currency) {
    }
}
