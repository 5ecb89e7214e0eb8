package org.vitalvault.vault.emergency;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.vitalvault.metric.Metric;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.datause.PersonalAccessLog;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.readings.OwnerSeries;
import org.vitalvault.vault.readings.ReadingResource;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotFound;
import org.vitalvault.vault.refusal.NotPermitted;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * Break-glass (docs/decisions/047). An owner opts in and gets an emergency code; a clinician who
 * presents it with a reason opens an episode at once, without the owner's help, and the owner is told
 * in the same transaction. Under an open episode the clinician reads, and only reads, the latest
 * values and the last 24 hours ({@link #DATA_WINDOW}); each read is one personal access, with the
 * reason, in the read's transaction. Ended, expired, another clinician's or unknown episodes are one
 * and the same 404, as are a wrong code and an owner who never opted in.
 *
 * <p>What it does not do: check that the caller is really a clinician (the identity provider's role
 * claim says so), or that the reason is true; it makes both visible to the owner instead.
 */
@ApplicationScoped
public class EmergencyService {

    /** How far back an emergency read may see. Older data is clipped away, never returned. */
    public static final Duration DATA_WINDOW = Duration.ofHours(24);

    /** The episode that was opened, as the clinician sees it: which metrics have data in the window. */
    public record Opened(UUID id, Instant startedAt, Instant expiresAt, List<String> metrics) {
    }

    /** An episode as the owner sees it, the clinician and reason opened. */
    public record OwnerEpisode(EmergencyStore.Episode row, String clinician, String reason, String status,
                               List<PersonalAccessLog.Entry> accesses) {
    }

    /** The clinician's identity for one request: the token subject and its keyed hash. */
    public record Clinician(String subject, byte[] hash) {
    }

    @Inject
    EmergencyStore store;

    @Inject
    EmergencyCodes codes;

    @Inject
    EmergencyAttempts attempts;

    @Inject
    OwnerTextSeal seal;

    @Inject
    OwnerNotices notices;

    @Inject
    PersonalAccessLog accessLog;

    @Inject
    OwnerSeries series;

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    @Inject
    EmergencyAudit audit;

    /** Turns emergency access on with a fresh code (replacing any earlier one) and returns the code, once. */
    @Transactional
    public String enable(UUID owner) {
        String code = EmergencyCode.generate();
        boolean replaced = store.setting(owner).isPresent();
        store.enable(owner, codes.hash(EmergencyCode.canonical(code).orElseThrow()), clock.instant());
        audit.enabled(owner, replaced);
        return code;
    }

    /**
     * Turns emergency access off: the code stops working and every open episode ends now (each ended
     * episode is logged, then the disabling).
     */
    @Transactional
    public void disable(UUID owner) {
        // The row first: an open() holding it (for share) commits its episode before this goes on, and
        // the end below, a later statement, then sees that episode too.
        boolean wasEnabled = store.disable(owner);
        List<UUID> ended = store.end(owner, null, "disabled", clock.instant());
        if (wasEnabled || !ended.isEmpty()) {
            // Turning off what was off changes nothing and is not logged.
            audit.disabled(owner, ended);
        }
    }

    /**
     * Opens an episode for the owner whose code this is. {@code charge} is the attempt already counted
     * by {@link EmergencyAttempts#charge}; it is refunded in the opening transaction when the code is
     * right. The episode, the owner's notice and the refund commit together or not at all; which
     * metrics have data is read afterwards (sealed reads run in a snapshot transaction of their own).
     */
    public Opened open(Clinician clinician, String typedCode, String reason, EmergencyAttempts.Charge charge) {
        EmergencyStore.Episode e = QuarkusTransaction.requiringNew().call(() -> openEpisode(clinician, typedCode, reason, charge));
        List<String> metrics = inWindow(series.latest(e.ownerId()), e.startedAt()).stream()
                .map(OwnerSeries.Latest::metric).toList();
        return new Opened(e.id(), e.startedAt(), e.expiresAt(), metrics);
    }

    private EmergencyStore.Episode openEpisode(Clinician clinician, String typedCode, String reason,
                                               EmergencyAttempts.Charge charge) {
        Optional<UUID> found = EmergencyCode.canonical(typedCode).flatMap(c -> store.ownerByCode(codes.hash(c)));
        if (found.isEmpty()) {
            attempts.failed();
            // One answer for a malformed code, a wrong one, and an owner who never opted in or opted out.
            throw new NotFound("emergency access for this code");
        }
        attempts.refund(charge);
        UUID owner = found.get();
        Instant now = clock.instant();
        Instant expires = now.plus(config.emergency().duration());
        EmergencyStore.Episode e = new EmergencyStore.Episode(owner, UUID.randomUUID(), clinician.hash(),
                seal.seal(owner, OwnerTextSeal.Purpose.EMERGENCY_REASON, detail(clinician.subject(), reason)),
                now, expires, null, null);
        store.insert(e);
        audit.opened(e, reason);
        notices.post(owner, new Notice(NoticeKind.BREAK_GLASS, "Emergency access to your data was opened by "
                + clinician.subject() + ", who gave this reason: \"" + reason + "\". They can read your latest values"
                + " and the last 24 hours until " + expires.truncatedTo(ChronoUnit.MINUTES) + " (UTC) unless you end it"
                + " sooner; every read is listed with the episode."));
        return e;
    }

    /** The latest value of every metric whose latest reading lies in the last 24 hours. */
    public List<OwnerSeries.Latest> latest(Clinician clinician, UUID episodeId) {
        EmergencyStore.Episode e = openEpisode(clinician, episodeId, false);
        List<OwnerSeries.Latest> latest = inWindow(series.latest(e.ownerId()), clock.instant());
        recordRead(clinician, episodeId, null, "latest", null, null);
        return latest;
    }

    /**
     * One metric over [from, until) clipped to the last 24 hours: {@code from} defaults to, and is
     * raised to, 24 hours ago (then up to the next whole minute or hour for minute and hour
     * resolution, so no bucket holds older data); day resolution is refused; a range that ends before
     * the window is refused 403 {@code outside-emergency-window}. The Series' from/until say what was read.
     */
    public OwnerSeries.Series series(Clinician clinician, UUID episodeId, String metricParam, String resolutionParam,
                                     String fromParam, String untilParam) {
        // The episode first: about someone else's or an ended episode, even a malformed query learns only 404.
        EmergencyStore.Episode e = openEpisode(clinician, episodeId, false);
        Metric metric = ReadingResource.metric(metricParam);
        OwnerSeries.Resolution res = OwnerSeries.resolution(resolutionParam);
        Instant from = fromParam == null ? null : ReadingResource.instant("from", fromParam);
        Instant until = untilParam == null ? null : ReadingResource.instant("until", untilParam);
        if (res == OwnerSeries.Resolution.DAY) {
            throw InvalidInput.field("resolution", "must be one of raw, minute, hour in an emergency (it sees the last 24 h)");
        }
        Instant now = clock.instant();
        Instant earliest = now.minus(DATA_WINDOW);
        Instant end = until == null ? now : until;
        if (!end.isAfter(earliest)) {
            throw new NotPermitted("outside-emergency-window", "Outside the emergency window",
                    "an emergency read sees only the last " + DATA_WINDOW.toHours() + " hours, from " + earliest);
        }
        Instant start = from == null || from.isBefore(earliest) ? earliest : from;
        start = switch (res) {
            case MINUTE -> ceil(start, ChronoUnit.MINUTES);
            case HOUR -> ceil(start, ChronoUnit.HOURS);
            default -> start;
        };
        OwnerSeries.Series s = series.series(e.ownerId(), metric, start, end, res);
        recordRead(clinician, episodeId, metric.code(), s.resolution(), s.from(), s.until());
        return s;
    }

    /**
     * Records a read that has been made, in a transaction that first locks the episode and checks it
     * is still open: an episode the owner ended (or that expired) while the data was being read
     * refuses the read, 404, and nothing is returned. Every read returned is recorded.
     */
    private void recordRead(Clinician clinician, UUID episodeId, String metric, String resolution, Instant from,
                            Instant until) {
        QuarkusTransaction.requiringNew().run(() -> {
            EmergencyStore.Episode e = openEpisode(clinician, episodeId, true);
            accessLog.record(e.ownerId(), new PersonalAccessLog.Access(PersonalAccessLog.Kind.EMERGENCY, e.id(),
                    clinician.subject(), reasonOf(e), metric, resolution, from, until, clock.instant()));
            audit.read(e, metric, resolution, from, until);
        });
    }

    /** The owner's episodes, newest first, those {@code page} selects, each with its accesses. */
    public List<OwnerEpisode> episodesOf(UUID owner, UnaryOperator<List<EmergencyStore.Episode>> page) {
        Instant now = clock.instant();
        return page.apply(store.episodesOf(owner)).stream().map(e -> view(e, now)).toList();
    }

    /** One of the owner's episodes (another owner's is 404 like an unknown one). */
    public OwnerEpisode episodeOf(UUID owner, UUID episodeId) {
        return view(store.episodeOf(owner, episodeId).orElseThrow(() -> new NotFound("emergency episode " + episodeId)),
                clock.instant());
    }

    /** Ends the owner's episode now (an ended or expired one stays as it was). */
    @Transactional
    public OwnerEpisode end(UUID owner, UUID episodeId) {
        store.episodeOf(owner, episodeId).orElseThrow(() -> new NotFound("emergency episode " + episodeId));
        for (UUID ended : store.end(owner, episodeId, "owner", clock.instant())) {
            audit.ended(owner, ended, "owner");
        }
        return episodeOf(owner, episodeId);
    }

    /** The clinician's own episode, open now (locked against a concurrent end if asked); anything else is 404. */
    private EmergencyStore.Episode openEpisode(Clinician clinician, UUID episodeId, boolean locked) {
        return store.episode(episodeId, locked)
                .filter(e -> MessageDigest.isEqual(e.clinicianHash(), clinician.hash()))
                .filter(e -> e.openAt(clock.instant()))
                .orElseThrow(() -> new NotFound("emergency episode " + episodeId));
    }

    private OwnerEpisode view(EmergencyStore.Episode e, Instant now) {
        String[] d = seal.open(e.ownerId(), OwnerTextSeal.Purpose.EMERGENCY_REASON, e.sealedDetail()).split("\n", 2);
        String status = e.endedAt() != null ? "ended" : now.isBefore(e.expiresAt()) ? "open" : "expired";
        return new OwnerEpisode(e, d[0], d.length > 1 ? d[1] : "", status, accessLog.accessesOf(e.ownerId(), e.id()));
    }

    private String reasonOf(EmergencyStore.Episode e) {
        String[] d = seal.open(e.ownerId(), OwnerTextSeal.Purpose.EMERGENCY_REASON, e.sealedDetail()).split("\n", 2);
        return d.length > 1 ? d[1] : "";
    }

    /** Clinician subject and reason in one sealed text: the subject's line breaks flattened, the reason's kept. */
    private static String detail(String subject, String reason) {
        return subject.replace('\n', ' ') + "\n" + reason;
    }

    private static List<OwnerSeries.Latest> inWindow(List<OwnerSeries.Latest> latest, Instant now) {
        Instant earliest = now.minus(DATA_WINDOW);
        return latest.stream().filter(l -> !l.time().isBefore(earliest)).toList();
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant down = t.truncatedTo(unit);
        return down.equals(t) ? t : down.plus(1, unit);
    }
}
