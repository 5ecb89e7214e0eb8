package org.vitalvault.vault.query;

import org.vitalvault.vault.lease.LeaseDocument;

/**
 * A query answer as the vault signs it (JWS {@code typ} {@value #JWS_TYPE}, the vault's Ed25519 key
 * at {@code GET /vault/keys}, the same key as lease documents): what was released, for which query
 * and under which lease, so that a researcher can show a third party (a journal, an auditor) that
 * these numbers are what the vault answered, and nothing else. Verifiable offline
 * ({@code deploy/verify-answer.sh}); decision 025.
 *
 * @param type        always {@value #TYPE}
 * @param version     format version, {@value #VERSION}
 * @param issuer      the vault and its key id
 * @param leaseDigest SHA-256 (hex) of the lease document as issued (the compact JWS of the lease answer's
 *                    {@code document} member): the answer is bound to those exact signed terms
 * @param queryDigest SHA-256 (hex) of the researcher's signed query as received (the compact JWS, surrounding
 *                    white space removed): the answer is bound to what the organisation's key signed
 * @param answer      the answer exactly as in the response body (lease id, query id, answeredAt, the released
 *                    values and the budget), without the {@code signed} member
 */
public record AnswerDocument(String type, int version, LeaseDocument.Issuer issuer, String leaseDigest, String queryDigest,
                             QueryAnswer answer) {

    /** The document type. */
    public static final String TYPE = "vitalvault.query-answer";
    /** The format version. */
    public static final int VERSION = 1;
    /** The JWS {@code typ} of a signed query answer. */
    public static final String JWS_TYPE = "vitalvault.query-answer";
}
