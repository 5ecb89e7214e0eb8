package org.vitalvault.vault.care;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.vault.datause.PersonalAccessLog;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.notify.Sentences;
import org.vitalvault.vault.readings.OwnerSeries;
import org.vitalvault.vault.readings.OwnerSeries.Resolution;
import org.vitalvault.vault.refusal.NotFound;

/**
 * The caregiver's side: redeem an invite, list what they hold, read within it. Every read loads the
 * delegation afresh (no decision is cached), so a revocation or expiry refuses the very next request;
 * a revoked, expired, unknown or another caregiver's delegation is the same {@link NotFound}. Each
 * read is recorded in the owner's access list in a transaction that commits before the data is
 * answered, and the owner is told of reads at most once an hour per delegation.
 */
@ApplicationScoped
public class CaregiverAccess {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    private static final Duration READ_NOTICE_EVERY = Duration.ofHours(1);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(java.time.ZoneOffset.UTC);

    @Inject
    DelegationStore store;

    @Inject
    InviteGuard guard;

    @Inject
    OwnerSeries series;

    @Inject
    PersonalAccessLog accesses;

    @Inject
    OwnerNotices notices;

    @Inject
    Clock clock;

    @Inject
    DelegationAudit audit;

    /**
     * The caregiver takes up the delegation the code invites to. A wrong, used, revoked or expired
     * code is one {@link NotFound}, and counts against the caregiver's hourly allowance of failures.
     */
    public CaregiverView redeem(byte[] caregiver, String code) {
        Instant now = now();
        guard.requireAllowance(caregiver, now);
        Optional<CaregiverView> accepted = QuarkusTransaction.requiringNew().call(() -> accept(caregiver, code, now));
        if (accepted.isEmpty()) {
            // Its own transaction: the refusal below must not roll the count back.
            QuarkusTransaction.requiringNew().run(() -> guard.recordFailure(caregiver, now));
            throw new NotFound("invite-not-found", "Not found", "no open invite has this code");
        }
        return accepted.get();
    }

    private Optional<CaregiverView> accept(byte[] caregiver, String code, Instant now) {
        Optional<Delegation> found = code == null || code.isBlank() ? Optional.empty() : store.byInvite(InviteCodes.hash(code));
        if (found.isEmpty() || found.get().status(now) != Delegation.Status.INVITED) {
            return Optional.empty();
        }
        Delegation d = found.get();
        store.accept(d.ownerId(), d.id(), caregiver, now);
        audit.accepted(d);
        notices.post(d.ownerId(), new Notice(NoticeKind.CAREGIVER_CHANGE, d.label() + " accepted your invitation and can"
                + " now see your " + Sentences.metrics(d.scope().metrics()) + " until " + DAY.format(d.expiresAt()) + "."));
        return Optional.of(CaregiverView.of(d));
    }

    /** The delegations the caregiver may read now. */
    public List<CaregiverView> active(byte[] caregiver) {
        Instant now = now();
        return store.heldBy(caregiver).stream().filter(d -> d.status(now) == Delegation.Status.ACTIVE)
                .map(CaregiverView::of).toList();
    }

    /**
     * A series within the delegation: {@code until} defaults to now (or the window's end, if earlier),
     * {@code from} to 24 h before it, the resolution to the finest allowed; the range is clipped to the
     * window, and the series' from/until say what was read.
     */
    public OwnerSeries.Series readings(byte[] caregiver, UUID id, String metric, Instant from, Instant until,
                                       Resolution resolution) {
        Instant now = now();
        Delegation d = active(caregiver, id, now);
        Metric m = metric(metric);
        Resolution res = resolution == null ? d.scope().finest() : resolution;
        Instant end = until != null ? until
                : d.scope().window() != null && d.scope().window().until() != null && d.scope().window().until().isBefore(now)
                ? d.scope().window().until() : now;
        Instant start = from != null ? from : end.minus(Duration.ofHours(24));
        Scope.Range range = d.scope().permit(m.code(), res, start, end);
        OwnerSeries.Series s = series.series(d.ownerId(), m, range.from(), range.until(), res);
        recordRead(caregiver, d, m.code(), Scope.name(res), s.from(), s.until(), now);
        return s;
    }

    /**
     * The latest value of each metric in scope whose time lies in the window. Where the delegation is
     * coarser than raw, a metric's latest value is the mean of its latest bucket at the finest allowed
     * resolution (time: the bucket's start, no device): a single reading would be finer than allowed.
     */
    public List<OwnerSeries.Latest> latest(byte[] caregiver, UUID id) {
        Instant now = now();
        Delegation d = active(caregiver, id, now);
        Scope scope = d.scope();
        List<OwnerSeries.Latest> out = new ArrayList<>();
        for (OwnerSeries.Latest l : series.latest(d.ownerId())) {
            if (!scope.shows(l.metric(), l.time())) {
                continue;
            }
            if (scope.finest() == Resolution.RAW) {
                out.add(l);
            } else {
                coarse(d, l).ifPresent(out::add);
            }
        }
        recordRead(caregiver, d, null, "latest", null, null, now);
        return out;
    }

    private Optional<OwnerSeries.Latest> coarse(Delegation d, OwnerSeries.Latest l) {
        Resolution res = d.scope().finest();
        ChronoUnit unit = switch (res) {
            case MINUTE -> ChronoUnit.MINUTES;
            case HOUR -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        Instant start = l.time().truncatedTo(unit);
        Optional<Scope.Range> range = d.scope().clip(res, start, start.plus(1, unit));
        if (range.isEmpty()) {
            return Optional.empty();
        }
        Metric m = metric(l.metric());
        List<OwnerSeries.Bucket> buckets = series.series(d.ownerId(), m, range.get().from(), range.get().until(), res)
                .buckets();
        if (buckets == null || buckets.isEmpty()) {
            return Optional.empty();
        }
        OwnerSeries.Bucket b = buckets.get(buckets.size() - 1);
        return Optional.of(new OwnerSeries.Latest(l.metric(), l.unit(), b.start(), b.mean(), null));
    }

    /** The caregiver's delegation if it is active now; anything else is the same 404. */
    private Delegation active(byte[] caregiver, UUID id, Instant now) {
        return store.heldBy(caregiver, id, false).filter(d -> d.status(now) == Delegation.Status.ACTIVE)
                .orElseThrow(() -> Delegations.notFound(id));
    }

    /**
     * Records the read (in the owner's access list and the transparency log) and, once an hour, tells
     * the owner; the data is answered only if this commits.
     * Its own transaction because the sealed read runs in a read-only snapshot transaction of its own
     * (OwnerData), which cannot nest in a JTA one. The delegation is checked again under a share lock:
     * a revocation that committed during the read refuses it, one that waits for the lock comes after.
     */
    private void recordRead(byte[] caregiver, Delegation d, String metric, String resolution, Instant from,
                            Instant until, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            store.heldBy(caregiver, d.id(), true).filter(x -> x.status(now) == Delegation.Status.ACTIVE)
                    .orElseThrow(() -> Delegations.notFound(d.id()));
            accesses.record(d.ownerId(), new PersonalAccessLog.Access(PersonalAccessLog.Kind.CAREGIVER, d.id(), d.label(),
                    null, metric, resolution, from, until, now));
            audit.read(d, metric, resolution, from, until);
            if (store.claimReadNotice(d.ownerId(), d.id(), now, now.minus(READ_NOTICE_EVERY))) {
                notices.post(d.ownerId(), new Notice(NoticeKind.CAREGIVER_READ, d.label() + " looked at your "
                        + (metric == null ? "latest values" : Sentences.metric(metric)) + "."));
            }
        });
    }

    private static Metric metric(String code) {
        if (code == null || code.isBlank()) {
            throw org.vitalvault.vault.refusal.InvalidInput.field("metric", "is required, one of " + Delegations.codes());
        }
        return CATALOGUE.byCode(code).orElseThrow(() -> org.vitalvault.vault.refusal.InvalidInput.field("metric",
                "unknown metric; one of " + Delegations.codes()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
