package org.vitalvault.store.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
            double backendCpu;
            long javaCpu;
            try (Connection c = db.transaction()) {
                long backendPid = backendPid(c);
                double backendBefore = cpuSeconds(backendPid);
                long javaBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                int done;
                do {
                    long t = System.nanoTime();
                    done = AuditIntegrator.integrate(c, batch).orElseThrow().integrated();
                    c.commit();
                    slowest = Math.max(slowest, System.nanoTime() - t);
                    calls++;
                } while (done > 0);
                backendCpu = cpuSeconds(backendPid) - backendBefore;
                javaCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - javaBefore;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(total, db.count("audit_leaf"));
            // On a busy machine wall time measures the queue for a CPU; the CPU the sequencer's thread
            // and its PostgreSQL backend spent is what one integration costs (they run one after the other).
            double cpu = backendCpu + javaCpu / 1e9;
            System.out.printf("RESULT audit_integrate entries=%d batch=%d calls=%d seconds=%.2f entries_per_s=%.0f"
                    + " slowest_call_ms=%.0f java_cpu_s=%.2f backend_cpu_s=%.2f entries_per_cpu_s=%.0f%n", total, batch,
                    calls, seconds, total / seconds, slowest / 1e6, javaCpu / 1e9, backendCpu, total / cpu);
        }
    }

    private static long backendPid(Connection c) throws Exception {
        try (var rs = c.createStatement().executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** utime + stime of a process (Linux /proc), in seconds. */
    private static double cpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // fields 14, 15; USER_HZ = 100
    }
}
