package org.vitalvault.vault.lease;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.vitalvault.policy.lease.Reason;
import org.vitalvault.policy.lease.ReasonCode;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.NotPermitted;
import org.vitalvault.vault.refusal.Refusal;

/**
 * Turns the policy's reasons into domain refusals with the engine's stable codes: a {@link Conflict}
 * when the lease itself is used up (its period ended, its budget spent), which no change of consent
 * can undo; {@link NotPermitted} for everything consent decides (cohort below k, purpose or
 * granularity not covered…).
 */
public final class Refusals {

    private static final Set<ReasonCode> CONFLICTS = EnumSet.of(ReasonCode.LEASE_PERIOD_ENDED,
            ReasonCode.LEASE_BUDGET_EXHAUSTED);

    private Refusals() {
    }

    /** A denied lease request. */
    public static Refusal leaseDenied(List<Reason> reasons) {
        return of("lease-denied", "Lease denied", reasons);
    }

    /** A refused query. */
    public static Refusal queryRefused(List<Reason> reasons) {
        return of("query-refused", "Query refused", reasons);
    }

    private static Refusal of(String type, String title, List<Reason> reasons) {
        boolean conflict = reasons.stream().anyMatch(r -> CONFLICTS.contains(r.code()));
        String detail = reasons.stream().map(Reason::message).collect(Collectors.joining(" "));
        List<Refusal.Reason> items = reasons.stream().map(r -> new Refusal.Reason(r.code().name(), r.message())).toList();
        return conflict ? new Conflict(type, title, detail, items) : new NotPermitted(type, title, detail, items);
    }
}
