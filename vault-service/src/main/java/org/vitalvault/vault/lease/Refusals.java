package org.vitalvault.vault.lease;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.vitalvault.policy.lease.Reason;
import org.vitalvault.policy.lease.ReasonCode;
import org.vitalvault.vault.http.Problem;
import org.vitalvault.vault.http.ProblemException;

/**
 * Turns the policy's reasons into problem responses with the engine's stable codes: 409 when the
 * lease itself is used up (its period ended, its budget spent), which no change of consent can
 * undo; 403 for everything consent decides (cohort below k, purpose or granularity not covered…).
 */
public final class Refusals {

    private static final Set<ReasonCode> CONFLICTS = EnumSet.of(ReasonCode.LEASE_PERIOD_ENDED,
            ReasonCode.LEASE_BUDGET_EXHAUSTED);

    private Refusals() {
    }

    /** A denied lease request. */
    public static ProblemException leaseDenied(List<Reason> reasons) {
        return of("lease-denied", "Lease denied", reasons);
    }

    /** A refused query. */
    public static ProblemException queryRefused(List<Reason> reasons) {
        return of("query-refused", "Query refused", reasons);
    }

    private static ProblemException of(String type, String title, List<Reason> reasons) {
        boolean conflict = reasons.stream().anyMatch(r -> CONFLICTS.contains(r.code()));
        String detail = reasons.stream().map(Reason::message).collect(Collectors.joining(" "));
        return ProblemException.refused(conflict ? 409 : 403, type, title, detail,
                reasons.stream().map(r -> new Problem.ReasonItem(r.code().name(), r.message())).toList());
    }
}
