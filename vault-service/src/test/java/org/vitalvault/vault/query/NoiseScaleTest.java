package org.vitalvault.vault.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.ledger.LeaseBudget;
import org.vitalvault.policy.release.AggregateQuery;
import org.vitalvault.policy.release.AggregateReleaser;
import org.vitalvault.policy.release.BucketRelease;
import org.vitalvault.vault.lease.Lease;
import org.vitalvault.vault.lease.LeaseDecisions;
import org.vitalvault.vault.lease.LeaseStore;
import org.vitalvault.vault.support.Cohorts;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.Researchers;

/**
 * Over many releases of one query on a real cohort (sealed rollups read through {@link CohortValues},
 * the decision made by {@link LeaseDecisions}), the error of the released values matches the noise
 * scale the response states. The releases are not persisted: a lease's ε allows only a few real
 * queries, and the point is the distribution of one.
 */
@QuarkusTest
class NoiseScaleTest {

    private static final int RUNS = 4000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CohortValues cohortValues;

    @Inject
    LeaseDecisions decisions;

    @Inject
    LeaseStore leases;

    @Test
    void overManyRunsTheErrorOfReleasedValuesMatchesTheStatedScaleAndIntervalsCoverAtLeast95Percent() throws Exception {
        Researchers.Org org = Researchers.approvedOrg();
        Cohorts.consenting(dataSource, 12, org.id(), ConsentFixtures.terms(), 1);
        UUID leaseId = org.lease(Researchers.leaseRequest(org.id()));
        Lease lease = leases.find(org.id(), leaseId).orElseThrow();
        Instant yesterday = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        AggregateQuery query = new AggregateQuery("heart_rate", Granularity.DAY, List.of(yesterday),
                EnumSet.of(AggregateKind.MEAN, AggregateKind.COUNT), List.of(), 1.0);
        LeaseDecisions.Made made = decisions.decide(lease.request(), leases.participants(leaseId), Instant.now());
        Map<Instant, Map<UUID, Double>> values = cohortValues.read(new ArrayList<>(made.decision().eligibleOwners()), query,
                lease.request().dataWindow());
        assertEquals(12, values.get(yesterday).size(), "every owner's day is read from their sealed rollups");
        double trueMean = values.get(yesterday).values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(65.5, trueMean, 1e-9);

        AggregateReleaser releaser = new AggregateReleaser(new SecureRandom());
        double countSquares = 0;
        double statedCountScale = 0;
        int countCovered = 0;
        int meanCovered = 0;
        int shown = 0;
        for (int i = 0; i < RUNS; i++) {
            BucketRelease b = releaser.release(leaseId, made.decision(), LeaseBudget.open(leaseId, 1.0), made.ledger(), query,
                    values).buckets().get(0);
            double error = b.count().value() - 12;
            countSquares += error * error;
            statedCountScale = b.count().noiseScale();
            countCovered += b.count().intervalContains(12) ? 1 : 0;
            if (!b.suppressed()) {
                // A bucket is shown when its noisy count reaches k (12 owners, k 11): the mean exists only then.
                shown++;
                meanCovered += b.mean().intervalContains(trueMean) ? 1 : 0;
            }
        }
        double empirical = Math.sqrt(countSquares / RUNS);
        assertEquals(1.0, empirical / statedCountScale, 0.1, "empirical noise sd " + empirical + " vs stated " + statedCountScale);
        assertTrue(countCovered >= 0.94 * RUNS, "count interval covered " + countCovered + " of " + RUNS);
        assertTrue(shown > RUNS / 2, "shown " + shown + " of " + RUNS);
        assertTrue(meanCovered >= 0.94 * shown, "mean interval covered " + meanCovered + " of " + shown);
    }
}
