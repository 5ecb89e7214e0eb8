package org.vitalvault.policy.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitalvault.policy.Fixtures.clockAt;
import static org.vitalvault.policy.Fixtures.day;
import static org.vitalvault.policy.Fixtures.grantToResearcher;
import static org.vitalvault.policy.Fixtures.owner;
import static org.vitalvault.policy.Fixtures.terms;
import static org.vitalvault.policy.release.Leases.LEASE;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.vitalvault.policy.Fixtures;
import org.vitalvault.policy.Worlds;
import org.vitalvault.policy.Worlds.World;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.lease.ConsentPolicyEngine;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.PolicyEngine;
import org.vitalvault.policy.ledger.LeaseBudget;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.policy.ledger.PrivacyLedger;

class ReleasePropertyTest {

    private final AggregateReleaser releaser = new AggregateReleaser(AggregateReleaserTest.seeded(99));

    /**
     * Cohorts of 11 to 60 owners with their own minimums, partly spent budgets, several buckets
     * each filled by a random share of the owners, values clustered so that some histogram bins
     * hold k or more owners and others do not: what is shown is chosen on noisy counts only. A
     * bucket is shown exactly when its noisy count reaches k (the count is carried either way when
     * COUNT is asked); a suppressed bucket carries nothing else; every shown histogram bin's noisy
     * count reaches k; and only owners of the decision who could afford the query are charged.
     */
    @Property(tries = 1000)
    void aBucketOrBinIsShownExactlyWhenItsNoisyCountReachesK(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 11 + r.nextInt(50);
        List<ConsentGrant> grants = new ArrayList<>();
        List<LedgerEntry> history = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(8) == 0 ? 11 + r.nextInt(n / 2 + 1) : 11;
            grants.add(grantToResearcher(i, terms().k(k).epsilon(1, 2).build()));
            if (r.nextInt(6) == 0) {
                history.add(new LedgerEntry(owner(i), new UUID(9, 9), day(-10), 1.5 + 0.5 * r.nextDouble()));
            }
        }
        PrivacyLedger ledger = PrivacyLedger.of(history);
        LeaseDecision d = new ConsentPolicyEngine().decide(Leases.allKinds(1), grants, ledger, clockAt(day(0)));
        int buckets = 1 + r.nextInt(5);
        List<Instant> starts = new ArrayList<>();
        Map<Instant, Map<UUID, Double>> values = new HashMap<>();
        double centre = 50 + r.nextInt(100);
        for (int b = 0; b < buckets; b++) {
            Instant start = day(-1 - b);
            starts.add(start);
            double share = r.nextBoolean() ? 1 - 0.3 * r.nextDouble() : r.nextDouble();
            Map<UUID, Double> v = new HashMap<>();
            double spread = r.nextBoolean() ? 1 + r.nextInt(4) : 1 + r.nextInt(25);
            for (int i = 0; i < n + 3; i++) {
                if (r.nextDouble() < share) {
                    v.put(owner(i), centre + r.nextGaussian() * spread);
                }
            }
            values.put(start, v);
        }
        Set<AggregateKind> kinds = EnumSet.of(AggregateKind.HISTOGRAM);
        for (AggregateKind k : AggregateKind.values()) {
            if (r.nextBoolean()) {
                kinds.add(k);
            }
        }
        AggregateQuery q = new AggregateQuery("heart_rate", Granularity.DAY, starts, kinds, List.of(0.5, 0.9),
                new double[] {0.1, 0.25, 0.5, 1.0}[r.nextInt(4)]);
        Release release = releaser.release(LEASE, d, LeaseBudget.open(LEASE, d.terms().epsilonPerLease()), ledger, q, values);
        int k = d.terms().minimumCohort();
        Set<UUID> charged = new HashSet<>();
        release.charges().forEach(e -> charged.add(e.owner()));
        assertTrue(d.eligibleOwners().containsAll(charged));
        int shownBuckets = 0;
        int shownBins = 0;
        for (BucketRelease b : release.buckets()) {
            assertEquals(kinds.contains(AggregateKind.COUNT), b.count() != null, "seed " + seed);
            if (b.count() != null) {
                assertEquals(b.count().value() < k, b.suppressed(), "noisy count " + b.count().value() + ", k = " + k + "; seed " + seed);
            }
            if (b.suppressed()) {
                assertNull(b.sum());
                assertNull(b.mean());
                assertNull(b.stddev());
                assertTrue(b.quantiles().isEmpty() && b.histogram().isEmpty(), "seed " + seed);
                continue;
            }
            shownBuckets++;
            for (BinEstimate bin : b.histogram()) {
                if (!bin.suppressed()) {
                    shownBins++;
                    assertTrue(bin.count().value() >= k, "bin shown at noisy count " + bin.count().value() + " < k = " + k + "; seed " + seed);
                }
            }
        }
        Statistics.label("some bucket shown").collect(shownBuckets > 0);
        Statistics.label("some bucket shown").coverage(c -> c.check(true).percentage(p -> p > 20));
        Statistics.label("some bin shown").collect(shownBins > 0);
        Statistics.label("some bin shown").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    /**
     * Random worlds: an owner who took part is revoked at or before the instant of the query; the
     * decision made for the query no longer includes them, and the release neither charges them nor
     * counts their values, though the caller still passes them.
     */
    @Property(tries = 1000)
    void revokingBeforeAQueryRemovesTheOwnerFromIt(@ForAll long seed) {
        World w = Worlds.random(seed);
        Random r = new Random(seed ^ 0xFACE);
        PolicyEngine engine = new ConsentPolicyEngine();
        LeaseDecision before = engine.decide(w.request(), w.grants(), w.attributes(), w.ledger(), clockAt(w.now()));
        List<UUID> candidates = new ArrayList<>(before.eligibleOwners().isEmpty() ? Set.of(Fixtures.owner(0)) : before.eligibleOwners());
        Collections.sort(candidates);
        UUID revoked = candidates.get(r.nextInt(candidates.size()));
        Instant at = w.now().minus(Duration.ofSeconds(r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000)));
        List<ConsentGrant> grants = new ArrayList<>();
        for (ConsentGrant g : w.grants()) {
            grants.add(g.owner().equals(revoked) ? g.revoked(at) : g);
        }
        LeaseDecision after = engine.decide(w.request(), grants, w.attributes(), w.ledger(), clockAt(w.now()));
        assertFalse(after.eligibleOwners().contains(revoked), "seed " + seed);
        Statistics.label("query answered after revoking a participant").collect(before.approved() && after.approved());
        if (!after.approved()) {
            return;
        }
        Instant bucket = w.request().dataWindow().from();
        Map<UUID, Double> v = new HashMap<>();
        for (int i = 0; i < w.owners(); i++) {
            v.put(owner(i), 60.0 + i);
        }
        String metric = w.request().metrics().iterator().next();
        AggregateQuery q = new AggregateQuery(metric, w.request().granularity(), List.of(bucket), w.request().kinds(),
                List.of(0.5), Math.min(0.05, after.terms().epsilonPerLease()));
        try {
            Release release = releaser.release(LEASE, after, LeaseBudget.open(LEASE, after.terms().epsilonPerLease()), w.ledger(), q,
                    Map.of(bucket, v));
            assertTrue(release.charges().stream().noneMatch(e -> e.owner().equals(revoked)), "seed " + seed);
            assertFalse(release.ledger().entriesOf(revoked).size() > w.ledger().entriesOf(revoked).size(), "seed " + seed);
        } catch (ReleaseRefusedException e) {
            Statistics.label("refused").collect(e.code());
        }
    }
}
