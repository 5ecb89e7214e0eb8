package org.vitalvault.cose;

import java.util.Set;

/**
 * Why a COSE message was not accepted. The reason is a stable code for metrics and logs; it never
 * carries message content.
 *
 * @param reason one of {@link #MAC_INVALID}, {@link #MAC_MALFORMED}, {@link #MAC_ALGORITHM_UNSUPPORTED}
 */
public record CoseRejection(String reason) implements CoseVerification {

    /** Well formed and of a supported algorithm, but the tag does not match: tampered, or another key. */
    public static final String MAC_INVALID = "mac-invalid";
    /** Not a COSE_Mac0 structure this verifier accepts (see {@link CoseMac0} for the rules). */
    public static final String MAC_MALFORMED = "mac-malformed";
    /** The protected header does not name HMAC 256/256 (alg 5). */
    public static final String MAC_ALGORITHM_UNSUPPORTED = "mac-algorithm-unsupported";

    private static final Set<String> REASONS = Set.of(MAC_INVALID, MAC_MALFORMED, MAC_ALGORITHM_UNSUPPORTED);

    public CoseRejection {
        if (!REASONS.contains(reason)) {
            throw new IllegalArgumentException(
                    "reason must be one of " + MAC_INVALID + ", " + MAC_MALFORMED + ", " + MAC_ALGORITHM_UNSUPPORTED);
        }
    }
}
