package org.vitalvault.store.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import org.junit.jupiter.api.Test;

/**
 * Not a test of speed (no test depends on it): a measurement run by hand, skipped otherwise.
 * {@code mvn -B -o -pl sealed-store -am test -Dtest=AuditIntegrationRateProbe -Daudit.rate=true
 * -Dsurefire.failIfNoSpecifiedTests=false} prints {@code RESULT audit_integrate ...}.
 */
class AuditIntegrationRateProbe {

    @Test
    void measureIntegrationRate() throws Exception {
        assumeTrue(Boolean.getBoolean("audit.rate"), "run with -Daudit.rate=true");
        int total = Integer.getInteger("audit.rate.entries", 400_000);
        int batch = Integer.getInteger("audit.rate.batch", 20_000);
        try (LogDatabase db = LogDatabase.start()) {
            db.reset();
            for (int queued = 0; queued < total; queued += 50_000) {
                db.queue(Math.min(50_000, total - queued));
            }
            try (Connection c = db.superuser()) {
                c.createStatement().execute("vacuum analyze audit_pending");
            }
            long start = System.nanoTime();
            int calls = 0;
            long slowest = 0;
            try (Connection c = db.transaction()) {
                int done;
                do {
                    long t = System.nanoTime();
                    done = AuditIntegrator.integrate(c, batch).orElseThrow().integrated();
                    c.commit();
                    slowest = Math.max(slowest, System.nanoTime() - t);
                    calls++;
                } while (done > 0);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(total, db.count("audit_leaf"));
            System.out.printf("RESULT audit_integrate entries=%d batch=%d calls=%d seconds=%.2f entries_per_s=%.0f"
                    + " slowest_call_ms=%.0f%n", total, batch, calls, seconds, total / seconds, slowest / 1e6);
        }
    }
}
