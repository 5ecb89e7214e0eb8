package org.vitalvault.policy;

import static org.vitalvault.policy.Fixtures.COOP;
import static org.vitalvault.policy.Fixtures.OTHER_COOP;
import static org.vitalvault.policy.Fixtures.OTHER_RESEARCHER;
import static org.vitalvault.policy.Fixtures.RESEARCHER;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Audience;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.Sex;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.policy.lease.CohortFilter;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.policy.ledger.PrivacyLedger;

/**
 * Random worlds for the engine's properties: a request, and owners whose grants start out covering
 * it and are then mutated in zero to three ways each (other audience, revoked, not yet valid,
 * expired, purpose, metrics, kinds, granularity, data window, larger k, small caps), with shared
 * attributes and a ledger that has spent some owners' budgets. Near misses are the point: every
 * check of the engine is exercised at its boundary.
 */
public final class Worlds {

    public static final List<String> METRICS = List.of("heart_rate", "spo2", "steps");

    /** One generated world. */
    public record World(LeaseRequest request, List<ConsentGrant> grants, Map<UUID, OwnerAttributes> attributes,
                        PrivacyLedger ledger, Instant now, int owners) {
    }

    private Worlds() {
    }

    public static World random(long seed) {
        return random(new Random(seed));
    }

    public static World random(Random r) {
        Instant now = Fixtures.day(r.nextInt(200)).plus(Duration.ofHours(r.nextInt(24)));
        LeaseRequest request = request(r, now);
        int owners = 3 + r.nextInt(40);
        List<ConsentGrant> grants = new ArrayList<>();
        Map<UUID, OwnerAttributes> attributes = new HashMap<>();
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < owners; i++) {
            UUID owner = Fixtures.owner(i);
            int n = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(r.nextInt(4) == 0 ? 3 : 1);
            for (int g = 0; g < n; g++) {
                grants.add(grant(r, owner, Fixtures.grantId(i, g), request, now));
            }
            if (r.nextInt(3) > 0) {
                attributes.put(owner, new OwnerAttributes(
                        r.nextBoolean() ? pick(r, AgeBand.values()) : null,
                        r.nextBoolean() ? pick(r, Sex.values()) : null,
                        r.nextBoolean() ? pick(r, new String[] {"DE", "DE-BY", "FR", "FR-IDF"}) : null));
            }
            if (r.nextInt(4) == 0) {
                int charges = 1 + r.nextInt(4);
                for (int c = 0; c < charges; c++) {
                    entries.add(new LedgerEntry(owner, new UUID(0x1EA5EL, r.nextInt(3)),
                            now.minus(Duration.ofDays(r.nextInt(500))), pick(r, new double[] {0.5, 1, 2, 5})));
                }
            }
        }
        return new World(request, grants, attributes, PrivacyLedger.of(entries), now, owners);
    }

    static LeaseRequest request(Random r, Instant now) {
        Set<String> metrics = subset(r, METRICS);
        Set<AggregateKind> kinds = EnumSet.copyOf(subset(r, List.of(AggregateKind.values())));
        long dataEnd = r.nextInt(60) - 10;
        TimeWindow data = new TimeWindow(now.minus(Duration.ofDays(dataEnd + 1 + r.nextInt(90))), now.minus(Duration.ofDays(dataEnd)));
        TimeWindow lease = r.nextInt(15) == 0
                ? new TimeWindow(now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(r.nextInt(3))))
                : new TimeWindow(now.minus(Duration.ofDays(r.nextInt(30))), now.plus(Duration.ofDays(1 + r.nextInt(r.nextInt(20) == 0 ? 500 : 200))));
        CohortFilter cohort = switch (r.nextInt(10)) {
            case 0 -> CohortFilter.membersOf(COOP);
            case 1 -> new CohortFilter(null, Set.of(pick(r, AgeBand.values())), Set.of(), Set.of());
            case 2 -> new CohortFilter(null, Set.of(), Set.of(pick(r, Sex.values())), Set.of("DE"));
            default -> CohortFilter.ANYONE;
        };
        return new LeaseRequest(r.nextInt(5) == 0 ? OTHER_RESEARCHER : RESEARCHER, pick(r, Purpose.values()), metrics, kinds,
                pick(r, Granularity.values()), data, lease, pick(r, new double[] {0.1, 0.5, 1, 3}), cohort);
    }

    /** A grant covering {@code request} at {@code now}, then mutated. */
    static ConsentGrant grant(Random r, UUID owner, UUID id, LeaseRequest request, Instant now) {
        Audience audience = request.cohort().coop() != null ? new Audience.Coop(request.cohort().coop())
                : r.nextBoolean() ? new Audience.Researcher(request.researcher()) : new Audience.AnyResearcherFor(request.purpose());
        Set<Purpose> purposes = EnumSet.of(request.purpose());
        for (Purpose p : Purpose.values()) {
            if (r.nextInt(3) == 0) {
                purposes.add(p);
            }
        }
        Set<String> metrics = new LinkedHashSet<>(request.metrics());
        Set<AggregateKind> kinds = EnumSet.copyOf(request.kinds());
        if (r.nextBoolean()) {
            metrics.addAll(METRICS);
            kinds.addAll(EnumSet.allOf(AggregateKind.class));
        }
        Granularity finest = Granularity.values()[r.nextInt(request.granularity().ordinal() + 1)];
        TimeWindow data = new TimeWindow(request.dataWindow().from().minus(Duration.ofDays(r.nextInt(3) * 100L)),
                request.dataWindow().until().plus(Duration.ofDays(r.nextInt(3) * 100L)));
        TimeWindow validity = new TimeWindow(now.minus(Duration.ofHours(r.nextInt(2000))), now.plus(Duration.ofHours(1 + r.nextInt(5000))));
        int k = 11;
        double perLease = pick(r, new double[] {0.5, 1, 2, 4});
        double perYear = perLease * pick(r, new double[] {1, 2, 5});
        PriceTier tier = pick(r, PriceTier.values());
        Instant revokedAt = null;

        int mutations = r.nextInt(5) < 2 ? 0 : 1 + r.nextInt(r.nextInt(3) == 0 ? 3 : 1);
        for (int m = 0; m < mutations; m++) {
            switch (r.nextInt(13)) {
                case 0 -> audience = pick(r, new Audience[] {new Audience.Researcher(OTHER_RESEARCHER), new Audience.Researcher(RESEARCHER),
                        new Audience.AnyResearcherFor(pick(r, Purpose.values())), new Audience.Coop(OTHER_COOP), new Audience.Coop(COOP)});
                case 1 -> revokedAt = now.minus(Duration.ofHours(r.nextInt(3) == 0 ? 0 : r.nextInt(100)));
                case 2 -> revokedAt = now.plus(Duration.ofHours(1 + r.nextInt(100)));
                case 3 -> validity = new TimeWindow(now.plus(Duration.ofHours(r.nextInt(2) == 0 ? 0 : 1 + r.nextInt(100))).plusSeconds(r.nextInt(2)),
                        now.plus(Duration.ofDays(200)));
                case 4 -> validity = new TimeWindow(now.minus(Duration.ofDays(300)), now.minus(Duration.ofHours(r.nextInt(100))));
                case 5 -> {
                    purposes.remove(request.purpose());
                    if (purposes.isEmpty()) {
                        purposes.add(Purpose.values()[(request.purpose().ordinal() + 1) % Purpose.values().length]);
                    }
                }
                case 6 -> {
                    metrics.remove(pick(r, request.metrics().toArray(new String[0])));
                    if (metrics.isEmpty()) {
                        metrics.add(METRICS.stream().filter(x -> !request.metrics().contains(x)).findFirst().orElse("body_weight"));
                    }
                }
                case 7 -> {
                    kinds.remove(pick(r, request.kinds().toArray(new AggregateKind[0])));
                    if (kinds.isEmpty()) {
                        kinds.add(EnumSet.complementOf(EnumSet.copyOf(request.kinds())).stream().findFirst().orElse(AggregateKind.COUNT));
                    }
                }
                case 8 -> finest = Granularity.values()[Math.min(3, request.granularity().ordinal() + r.nextInt(3))];
                case 9 -> data = r.nextBoolean()
                        ? new TimeWindow(request.dataWindow().from().plusSeconds(r.nextInt(2) == 0 ? 1 : 86400L * (1 + r.nextInt(30))), data.until())
                        : new TimeWindow(data.from(), request.dataWindow().until().minusSeconds(r.nextInt(2) == 0 ? 1 : 86400L * r.nextInt(30) + 1));
                case 10 -> k = 11 + r.nextInt(r.nextBoolean() ? 5 : 40);
                case 11 -> {
                    perLease = pick(r, new double[] {0.05, 0.1, 0.3});
                    perYear = perLease * pick(r, new double[] {1, 3});
                }
                default -> tier = pick(r, PriceTier.values());
            }
        }
        if (audience instanceof Audience.AnyResearcherFor a) {
            purposes.add(a.purpose());
        }
        if (data.isEmpty()) {
            data = new TimeWindow(data.from(), data.from().plusSeconds(1));
        }
        Terms terms = new Terms(purposes, metrics, kinds, finest, data, validity, k, perLease, perYear, tier);
        return new ConsentGrant(id, owner, audience, terms, revokedAt);
    }

    static <T> Set<T> subset(Random r, List<T> all) {
        Set<T> s = new LinkedHashSet<>();
        for (T t : all) {
            if (r.nextInt(3) == 0) {
                s.add(t);
            }
        }
        if (s.isEmpty()) {
            s.add(all.get(r.nextInt(all.size())));
        }
        return s;
    }

    public static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    public static double pick(Random r, double[] values) {
        return values[r.nextInt(values.length)];
    }
}
