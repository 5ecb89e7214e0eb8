package org.vitalvault.vault.query;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.vault.datause.DataUseStore;

/**
 * The details of a {@code DATA_USE} entry in an owner's chain of the transparency log: which lease and
 * query, which organisation, for what purpose, which metric, aggregate kinds, granularity and data
 * window, the ε charged to the owner and the credit they earned — never a value, the owner's or the
 * answer's.
 */
final class DataUseDetails {

    private DataUseDetails() {
    }

    /**
     * @param outcome {@code ANSWERED}, or {@code FAILED} when computing failed after the data was read
     *                (charged all the same)
     */
    static Map<String, Object> of(DataUseStore.Use use, Collection<AggregateKind> kinds, String outcome) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("leaseId", use.leaseId().toString());
        d.put("queryId", use.queryId().toString());
        d.put("organisationId", use.organisation().toString());
        d.put("purpose", use.purpose());
        d.put("metric", use.metric());
        d.put("kinds", kinds.stream().map(Enum::name).sorted().toList());
        d.put("granularity", use.granularity());
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("from", use.dataFrom().toString());
        window.put("until", use.dataUntil().toString());
        d.put("dataWindow", window);
        d.put("epsilon", use.epsilon());
        d.put("outcome", outcome);
        return d;
    }

    /** The same details plus the credit, euro cents, the owner earned by this query (their first in the lease). */
    static Map<String, Object> withCredit(Map<String, Object> details, long cents) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("creditCents", cents);
        return d;
    }
}
