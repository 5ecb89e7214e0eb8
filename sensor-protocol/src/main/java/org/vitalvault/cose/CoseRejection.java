package org.vitalvault.cose;

import java.util.EnumSet;
import java.util.Set;
import org.vitalvault.wire.RejectionReason;

/**
 * Why a COSE message was not accepted. The reason is a stable code for metrics and logs; it never
 * carries message content.
 *
 * @param reason one of {@link RejectionReason#MAC_INVALID}, {@link RejectionReason#MAC_MALFORMED},
 *               {@link RejectionReason#MAC_ALGORITHM_UNSUPPORTED}, {@link RejectionReason#PAYLOAD_TOO_LARGE}
 */
public record CoseRejection(RejectionReason reason) implements CoseVerification {

    private static final Set<RejectionReason> REASONS = EnumSet.of(RejectionReason.MAC_INVALID,
            RejectionReason.MAC_MALFORMED, RejectionReason.MAC_ALGORITHM_UNSUPPORTED, RejectionReason.PAYLOAD_TOO_LARGE);

    public CoseRejection {
        if (reason == null || !REASONS.contains(reason)) {
            throw new IllegalArgumentException("reason must be one of " + REASONS);
        }
    }
}
