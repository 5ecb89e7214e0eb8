package org.vitalvault.vault.lease;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.policy.lease.Reason;
import org.vitalvault.policy.consent.TimeWindow;

/**
 * The details of a lease decision's transparency-log entry (deployment scope: kept plain, so they
 * name no owner): the lease's or request's ids, the organisation, the terms, and the cohort size only
 * as the researcher was told it (the noisy estimate), never an exact count or an owner id.
 */
final class LeaseAuditDetails {

    private LeaseAuditDetails() {
    }

    /** {@code LEASE_APPROVED}: what the signed lease document says, minus signatures and names. */
    static Map<String, Object> approved(LeaseDocument doc) {
        LeaseDocument.LeaseTerms t = doc.terms();
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("purpose", t.purpose());
        terms.put("metrics", t.metrics());
        terms.put("kinds", t.kinds());
        terms.put("granularity", t.granularity());
        terms.put("dataWindow", window(t.dataWindow().from().toString(), t.dataWindow().until().toString()));
        terms.put("validity", window(t.validity().from().toString(), t.validity().until().toString()));
        terms.put("coop", t.coop() == null ? null : t.coop().toString());
        terms.put("minimumCohort", t.minimumCohort());
        terms.put("epsilon", t.epsilon());
        terms.put("cohort", cohort(t.cohort().ageBands(), t.cohort().sexes(), t.cohort().regions()));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("leaseId", doc.leaseId().toString());
        d.put("requestId", doc.requestId().toString());
        d.put("organisationId", doc.organisation().id().toString());
        d.put("terms", terms);
        d.put("cohortSize", doc.cohortSize());
        d.put("priceCents", doc.price().euroCents());
        return d;
    }

    /**
     * {@code LEASE_DENIED}: the terms asked for, the reasons' codes (the messages are the researcher's
     * to read), and the noisy cohort estimate when the researcher was told one.
     */
    static Map<String, Object> denied(UUID organisation, UUID requestId, LeaseRequest r, List<Reason> reasons, Long estimate) {
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("purpose", r.purpose().name());
        terms.put("metrics", r.metrics().stream().sorted().toList());
        terms.put("kinds", r.kinds().stream().map(Enum::name).sorted().toList());
        terms.put("granularity", r.granularity().name());
        terms.put("dataWindow", window(r.dataWindow()));
        terms.put("validity", window(r.validity()));
        terms.put("coop", r.cohort().coop() == null ? null : r.cohort().coop().toString());
        terms.put("epsilon", r.epsilon());
        terms.put("cohort", cohort(r.cohort().ageBands().stream().map(AgeBand::label).sorted().toList(),
                r.cohort().sexes().stream().map(x -> x.name().toLowerCase(Locale.ROOT)).sorted().toList(),
                r.cohort().regions().stream().sorted().toList()));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("requestId", requestId.toString());
        d.put("organisationId", organisation.toString());
        d.put("terms", terms);
        d.put("reasons", reasons.stream().map(x -> x.code().name()).toList());
        if (estimate != null) {
            d.put("cohortSize", estimate);
        }
        return d;
    }

    private static Map<String, Object> window(TimeWindow w) {
        return window(w.from().toString(), w.until().toString());
    }

    private static Map<String, Object> window(String from, String until) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("from", from);
        w.put("until", until);
        return w;
    }

    private static Map<String, Object> cohort(List<String> ageBands, List<String> sexes, List<String> regions) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ageBands", ageBands);
        c.put("sexes", sexes);
        c.put("regions", regions);
        return c;
    }
}
