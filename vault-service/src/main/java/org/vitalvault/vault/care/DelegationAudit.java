package org.vitalvault.vault.care;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;

/**
 * A delegation's events in the owner's chain of the transparency log, each appended by the caller
 * inside the event's transaction, after its writes. Details are the delegation's id and what it lets
 * be read — never the invite code, never the caregiver's subject, and not the owner's label for the
 * caregiver either (the delegation id leads to it; the entry stays minimal).
 */
@ApplicationScoped
class DelegationAudit {

    @Inject
    AuditLog log;

    /** A new delegation: by invite code ({@code named} false), or to a named caregiver, active at once. */
    void invited(Delegation d, boolean named) {
        Map<String, Object> details = id(d);
        details.put("invitation", named ? "named-caregiver" : "invite-code");
        details.put("metrics", d.scope().metrics());
        details.put("finestResolution", Scope.name(d.scope().finest()));
        DataWindow w = d.scope().window();
        details.put("dataWindow", w == null ? null : window(w.from(), w.until()));
        details.put("expiresAt", d.expiresAt().toString());
        log.owner(d.ownerId(), AuditKind.CAREGIVER_INVITED, details);
    }

    void accepted(Delegation d) {
        log.owner(d.ownerId(), AuditKind.CAREGIVER_ACCEPTED, id(d));
    }

    void revoked(Delegation d) {
        log.owner(d.ownerId(), AuditKind.CAREGIVER_REVOKED, id(d));
    }

    /** One read: which metric ({@code null}: the latest values), how finely, which data times. */
    void read(Delegation d, String metric, String resolution, Instant from, Instant until) {
        Map<String, Object> details = id(d);
        details.put("metric", metric);
        details.put("resolution", resolution);
        details.put("dataRange", from == null && until == null ? null : window(from, until));
        log.owner(d.ownerId(), AuditKind.CAREGIVER_READ, details);
    }

    private static Map<String, Object> id(Delegation d) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("delegationId", d.id().toString());
        return details;
    }

    private static Map<String, String> window(Instant from, Instant until) {
        Map<String, String> w = new LinkedHashMap<>();
        w.put("from", from == null ? null : from.toString());
        w.put("until", until == null ? null : until.toString());
        return w;
    }
}
