package org.vitalvault.policy.lease;

import org.vitalvault.policy.internal.Checks;

/**
 * Why: a stable code for machines and a sentence for people. The sentence never names an owner and
 * never states a count below the minimum cohort, so it may be shown to the researcher.
 *
 * @param code    the stable code
 * @param message the human sentence
 */
public record Reason(ReasonCode code, String message) {

    public Reason {
        Checks.oneOf("code", code, ReasonCode.class);
        Checks.given("message", message);
    }
}
