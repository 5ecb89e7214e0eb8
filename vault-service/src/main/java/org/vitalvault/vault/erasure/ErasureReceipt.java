package org.vitalvault.vault.erasure;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What the vault destroyed when an owner erased their account, signed by the vault (the payload of
 * the receipt's JWS, {@code typ} {@value #JWS_TYPE}). The ids and counts are all it says: it names
 * no device, metric or time range.
 *
 * @param type always {@value #TYPE}
 * @param receiptId unique per erasure
 * @param ownerId the erased owner
 * @param subject the bearer-token subject the owner signed in as
 * @param erasedAt when the erasure transaction ran
 * @param destroyed rows destroyed, per kind
 * @param vaultKid the kid of the vault signing key that signed the receipt
 */
public record ErasureReceipt(String type, UUID receiptId, UUID ownerId, String subject, Instant erasedAt,
                             Destroyed destroyed, String vaultKid) {

    /** The receipt's {@code type} member. */
    public static final String TYPE = "vitalvault.erasure";
    /** The {@code typ} of the receipt's JWS header. */
    public static final String JWS_TYPE = "vitalvault.erasure-receipt";

    public ErasureReceipt {
        if (!TYPE.equals(type)) {
            throw new IllegalArgumentException("type must be " + TYPE);
        }
        Objects.requireNonNull(receiptId, "receiptId");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(erasedAt, "erasedAt");
        Objects.requireNonNull(destroyed, "destroyed");
        Objects.requireNonNull(vaultKid, "vaultKid");
    }

    /**
     * Rows destroyed, per table: owner key versions (key material overwritten, then deleted), HPKE
     * sealing epochs, raw sealed batches, compacted hour segments, paired devices, consent grants,
     * co-op memberships (past ones included), consent events and privacy-ledger charges.
     */
    public record Destroyed(int ownerKeys, int sealEpochs, int readingBatches, int segments, int devices,
                            int consentGrants, int coopMemberships, int consentEvents, int ledgerEntries) {
    }

    /** The response to an erasure: the receipt, and the same receipt as the vault's compact JWS. */
    public record Signed(ErasureReceipt receipt, String jws) {
    }
}
