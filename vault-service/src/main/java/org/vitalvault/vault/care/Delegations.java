package org.vitalvault.vault.care;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.vault.auth.SubjectHashes;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.readings.OwnerSeries;
import org.vitalvault.vault.readings.ReadingResource;
import org.vitalvault.vault.refusal.FieldErrors;
import org.vitalvault.vault.refusal.NotFound;

/** The owner's side of caregiving: invite (by code or subject), list, read, revoke. */
@ApplicationScoped
public class Delegations {

    static final int MAX_LABEL = 100;
    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    @Inject
    DelegationStore store;

    @Inject
    SubjectHashes hashes;

    @Inject
    OwnerNotices notices;

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    @Inject
    DelegationAudit audit;

    /** A new delegation; its view carries the invite code when no caregiver subject was named. */
    @Transactional
    public OwnerDelegationView create(UUID owner, DelegationRequest r) {
        Instant now = now();
        Delegation d = validated(owner, r, now);
        String code = r.caregiverSubject() == null ? InviteCodes.generate() : null;
        store.insert(d, code == null ? hashes.caregiver(r.caregiverSubject().trim()) : null,
                code == null ? null : InviteCodes.hash(code));
        audit.invited(d, code == null);
        return OwnerDelegationView.of(d, now, code);
    }

    public List<OwnerDelegationView> list(UUID owner) {
        Instant now = now();
        return store.ofOwner(owner).stream().map(d -> OwnerDelegationView.of(d, now, null)).toList();
    }

    public OwnerDelegationView get(UUID owner, UUID id) {
        return store.find(owner, id, false).map(d -> OwnerDelegationView.of(d, now(), null))
                .orElseThrow(() -> notFound(id));
    }

    /**
     * Ends the delegation from the caregiver's next request on; revoking a revoked one answers it
     * unchanged (and tells the owner nothing new, and logs nothing: nothing happened).
     */
    @Transactional
    public OwnerDelegationView revoke(UUID owner, UUID id) {
        Instant now = now();
        Delegation d = store.find(owner, id, true).orElseThrow(() -> notFound(id));
        if (d.revokedAt() == null) {
            store.revoke(owner, id, now);
            audit.revoked(d);
            notices.post(owner, new Notice(NoticeKind.CAREGIVER_CHANGE,
                    "You ended " + d.label() + "'s access to your data."));
            d = store.find(owner, id, false).orElseThrow();
        }
        return OwnerDelegationView.of(d, now, null);
    }

    /** One refusal for every delegation the caller may not see, so ids cannot be probed. */
    static NotFound notFound(UUID id) {
        return new NotFound("delegation " + id);
    }

    private Delegation validated(UUID owner, DelegationRequest r, Instant now) {
        FieldErrors errors = new FieldErrors();
        String label = text(errors, "label", r.label(), true);
        String sharedAs = text(errors, "sharedAs", r.sharedAs(), false);
        if (r.caregiverSubject() != null && (r.caregiverSubject().isBlank() || r.caregiverSubject().length() > 200)) {
            errors.add("caregiverSubject", "must be null (answer an invite code) or a login subject of 1 to 200 characters");
        }
        List<String> metrics = metrics(errors, r.metrics());
        OwnerSeries.Resolution finest = null;
        if (r.finestResolution() == null) {
            errors.add("finestResolution", "is required, one of raw, minute, hour, day");
        } else {
            try {
                finest = OwnerSeries.Resolution.valueOf(r.finestResolution().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add("finestResolution", "must be one of raw, minute, hour, day");
            }
        }
        DataWindow window = r.window();
        if (window != null) {
            if (window.from() == null) {
                errors.add("window.from", "is required in a window (null window: all data)");
            } else if (window.from().isBefore(ReadingResource.EARLIEST)
                    || window.until() != null && window.until().isAfter(ReadingResource.LATEST)) {
                // Beyond PostgreSQL's timestamps (and Instant arithmetic): was a 500, not a 400.
                errors.add("window", "must lie between " + ReadingResource.EARLIEST + " and " + ReadingResource.LATEST);
            } else if (window.until() != null && !window.from().isBefore(window.until())) {
                errors.add("window.until", "must be after window.from, or null for no end");
            }
        }
        Instant latest = now.plus(config.care().maxDuration());
        if (r.expiresAt() == null) {
            errors.add("expiresAt", "is required: every delegation ends");
        } else if (!r.expiresAt().isAfter(now)) {
            errors.add("expiresAt", "must be in the future");
        } else if (r.expiresAt().isAfter(latest)) {
            errors.add("expiresAt", "must be at most " + config.care().maxDuration() + " ahead (" + latest + ")");
        }
        errors.throwIfAny();
        return new Delegation(owner, UUID.randomUUID(), label, sharedAs, r.caregiverSubject() != null,
                new Scope(metrics, finest, window), r.expiresAt().truncatedTo(ChronoUnit.MILLIS), now, null, null);
    }

    private static String text(FieldErrors errors, String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(field, "is required, 1 to " + MAX_LABEL + " characters");
            }
            return null;
        }
        String t = value.strip();
        if (t.length() > MAX_LABEL) {
            errors.add(field, "must be at most " + MAX_LABEL + " characters");
        }
        return t;
    }

    private static List<String> metrics(FieldErrors errors, List<String> given) {
        if (given == null || given.isEmpty()) {
            errors.add("metrics", "is required: at least one of " + codes());
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String code : given) {
            if (code != null && CATALOGUE.byCode(code).isPresent()) {
                out.add(code);
            } else {
                unknown.add(String.valueOf(code));
            }
        }
        if (!unknown.isEmpty()) {
            errors.add("metrics", "unknown metric " + String.join(", ", unknown) + "; each must be one of " + codes());
        }
        return List.copyOf(out);
    }

    static String codes() {
        return String.join(", ", CATALOGUE.all().stream().map(Metric::code).toList());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
