package org.vitalvault.vault.emergency;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;

/**
 * Break-glass events in the owner's chain of the transparency log, each appended by the caller inside
 * the event's transaction, after its writes. Never the emergency code (nor its hash), never the
 * clinician's subject: the episode id leads to who opened it.
 *
 * <p>The stated reason is in the opening entry. Owner entries are sealed to the owner and only the
 * owner receives them, who is shown the reason anyway; committing to it makes the justification
 * tamper-evident: an operator who later rewrites the episode's sealed reason contradicts the log.
 */
@ApplicationScoped
class EmergencyAudit {

    @Inject
    AuditLog log;

    /** Turned on with a new code; {@code replaced}: an earlier code stopped working. */
    void enabled(UUID owner, boolean replaced) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("replacedEarlierCode", replaced);
        log.owner(owner, AuditKind.EMERGENCY_ENABLED, d);
    }

    /** Turned off; every episode it ended gets its own ENDED entry (appended first). */
    void disabled(UUID owner, List<UUID> ended) {
        for (UUID episode : ended) {
            this.ended(owner, episode, "disabled");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("episodesEnded", ended.size());
        log.owner(owner, AuditKind.EMERGENCY_DISABLED, d);
    }

    void opened(EmergencyStore.Episode e, String reason) {
        Map<String, Object> d = episode(e.id());
        d.put("reason", reason);
        d.put("expiresAt", e.expiresAt().toString());
        log.owner(e.ownerId(), AuditKind.EMERGENCY_OPENED, d);
    }

    /** One read under the episode: which metric ({@code null}: the latest values), how finely, which data times. */
    void read(EmergencyStore.Episode e, String metric, String resolution, Instant from, Instant until) {
        Map<String, Object> d = episode(e.id());
        d.put("metric", metric);
        d.put("resolution", resolution);
        if (from == null && until == null) {
            d.put("dataRange", null);
        } else {
            Map<String, String> range = new LinkedHashMap<>();
            range.put("from", from == null ? null : from.toString());
            range.put("until", until == null ? null : until.toString());
            d.put("dataRange", range);
        }
        log.owner(e.ownerId(), AuditKind.EMERGENCY_READ, d);
    }

    /** {@code by}: {@code owner} (the owner ended it) or {@code disabled} (emergency access was turned off). */
    void ended(UUID owner, UUID episode, String by) {
        Map<String, Object> d = episode(episode);
        d.put("endedBy", by);
        log.owner(owner, AuditKind.EMERGENCY_ENDED, d);
    }

    private static Map<String, Object> episode(UUID id) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("episodeId", id.toString());
        return d;
    }
}
