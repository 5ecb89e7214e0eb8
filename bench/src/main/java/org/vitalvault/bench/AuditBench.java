package org.vitalvault.bench;

import static org.vitalvault.bench.BenchSupport.loadAverage;
import static org.vitalvault.bench.BenchSupport.secondsSince;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.vitalvault.deploy.db.LocalPostgres;
import org.vitalvault.store.Migrations;
import org.vitalvault.store.audit.AuditAppender;
import org.vitalvault.store.audit.AuditCheckpoints;
import org.vitalvault.store.audit.AuditIntegrator;
import org.vitalvault.store.audit.AuditTiles;
import org.vitalvault.store.audit.AuditTree;
import org.vitalvault.store.audit.TreeHead;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MerkleProofs;
import org.vitalvault.tlog.MerkleVerifier;
import org.vitalvault.tlog.Node;
import org.vitalvault.tlog.NodeReader;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.tlog.OwnerEntryTemplate;
import org.vitalvault.tlog.SignedNote;

/**
 * {@code deploy/bench/audit.sh}: the transparency-log benchmark of issue 17, on the sealed-store code
 * the vault runs (no HTTP: the log's cost is its SQL and its hashing). Starts an embedded PostgreSQL
 * (fsync and synchronous commit on, as the local stack runs it), applies every migration, creates
 * {@code --owners} owners, then:
 * <ol>
 *   <li><b>fill</b>: appends entries through {@link AuditAppender#appendForOwners} in transactions of
 *       {@code --fill-cohort} owners each (one entry per owner, sealed with AES-256-GCM in
 *       OwnerTextSeal's format), while a sequencer thread on its own connection integrates them with
 *       {@link AuditIntegrator#integrate} in batches of {@code --fill-integrate-batch}, until
 *       {@code entries - window} entries are appended, then waits until all are integrated;</li>
 *   <li><b>window</b> (measured): the last {@code --window} entries as the vault would write them:
 *       research queries of {@code --cohort} owners per transaction, single-owner transactions and
 *       deployment entries ({@link AuditAppender#appendDeployment}) on other connections, the
 *       sequencer at the vault's batch ({@code --integrate-batch}) and a checkpoint signer every
 *       {@code --checkpoint-interval-ms}; append_per_s = window entries / (from the window's start to
 *       the moment the last of them is integrated);</li>
 *   <li><b>proofs</b> at the full tree: inclusion proofs of random owners' random entries (each
 *       entry opened and its commitment recomputed, untimed; the proof read and verified, timed),
 *       owner pages of 100 entries' proofs, consistency proofs from random sizes;</li>
 *   <li><b>checkpoints</b> at the full tree: what the signer does (head, root from tiles compared
 *       with the head, C2SP note signed with Ed25519, {@link AuditCheckpoints#insert}, commit);</li>
 *   <li>the size of every audit table and bytes per entry.</li>
 * </ol>
 * The last line is {@code RESULT audit entries=… append_per_s=… proof_p99_ms=… checkpoint_ms=…}.
 */
public final class AuditBench {

    private static final String USAGE = """
            usage: deploy/bench/audit.sh [options]
              --entries N                 entries in the log at the end (10000000)
              --owners N                  owners (entries / 100, at least 1000, at most 100000)
              --window N                  entries of the measured window, the last ones (min(1000000, entries / 10))
              --cohort N                  owners per research-query transaction in the window (1000)
              --research-writers N        concurrent research-query writers in the window (2)
              --fill-cohort N             owners per transaction while filling (10000, at most --owners)
              --integrate-batch N         the sequencer's batch in the window (20000, the vault's default)
              --fill-integrate-batch N    the sequencer's batch while filling (100000)
              --fill appender|sql         how the entries before the window are written (appender): sql writes
                                          one entry per owner per statement in SQL (synthetic sealed bytes of a
                                          real entry's length, commitment SHA-256 of the entry id), for a machine
                                          too slow or too busy to append them all; the sequencer integrates them
                                          either way
              --fill-connections N        concurrent connections of the SQL fill, each for its share of the owners (2)
              --integrate-interval-ms N   the sequencer's pause after a call that did not fill its batch (200, the vault's)
              --checkpoint-interval-ms N  the checkpoint signer's interval in the window (2000, the vault's default)
              --singles-per-deployment N  single-owner transactions per deployment entry in the window (10)
              --postgres-config K=V,...   more PostgreSQL settings on top of the local stack's (none), e.g.
                                          shared_buffers=1GB,max_wal_size=8GB: to measure a setting's effect
              --proofs N                  timed inclusion proofs (10000)
              --pages N                   timed owner pages of 100 entries' proofs (200)
              --consistency-proofs N      timed consistency proofs (2000)
              --checkpoints N             timed checkpoints at the full tree (200)
              --data DIR                  PostgreSQL's data directory (a new one under the work folder)
              --jfr PREFIX                record this JVM with JFR (settings=profile): PREFIX-window.jfr,
                                          PREFIX-proofs.jfr, PREFIX-checkpoints.jfr, each summarised at the end
              (audit.sh itself: --rebuild, --keep)
            """;

    private static final String ORIGIN = "vitalvault.local/audit";
    private static final int PAGE = 100;
    private static final int GCM_NONCE = 12;
    private static final int GCM_TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long entries;
    private final int owners;
    private final long window;
    private final int cohort;
    private final int researchWriters;
    private final int fillCohort;
    private final int integrateBatch;
    private final int fillIntegrateBatch;
    private final long integrateIntervalMs;
    private final long checkpointIntervalMs;
    private final int singlesPerDeployment;
    private final int proofs;
    private final int pages;
    private final int consistencyProofs;
    private final int checkpoints;
    private final Path data;
    private final String jfr;
    private final boolean sqlFill;
    private final int fillConnections;
    /** Owner entries of seq ≤ this were written by the SQL fill (synthetic). */
    private long syntheticRounds;

    private final ObjectMapper json = new ObjectMapper();
    private final byte[] ownerTextKey = new byte[32];
    private final Ed25519PrivateKeyParameters signingKey = new Ed25519PrivateKeyParameters(RANDOM);
    private final NoteKey noteKey = NoteKey.of(ORIGIN, signingKey.generatePublicKey().getEncoded());
    private LocalPostgres postgres;
    private CpuSampler cpu;
    private UUID[] ownerIds;

    /** Entries committed by the writers; entries reserved by them (a writer takes its batch first). */
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong reserved = new AtomicLong();
    /** The integrated tree size the sequencer last committed, and when. */
    private final AtomicLong integrated = new AtomicLong();
    private final AtomicReference<TreeHead> lastHead = new AtomicReference<>();
    private volatile int sequencerBatch;
    private final AtomicBoolean stopSequencer = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> postgresConfig = new LinkedHashMap<>();

    private AuditBench(Map<String, String> a) {
        entries = Long.parseLong(a.getOrDefault("entries", "10000000"));
        owners = Integer.parseInt(a.getOrDefault("owners",
                String.valueOf(Math.max(1000, Math.min(100_000, entries / 100)))));
        window = Long.parseLong(a.getOrDefault("window", String.valueOf(Math.min(1_000_000, entries / 10))));
        cohort = Integer.parseInt(a.getOrDefault("cohort", "1000"));
        researchWriters = Integer.parseInt(a.getOrDefault("research-writers", "2"));
        fillCohort = Integer.parseInt(a.getOrDefault("fill-cohort", String.valueOf(Math.min(10_000, owners))));
        integrateBatch = Integer.parseInt(a.getOrDefault("integrate-batch", "20000"));
        fillIntegrateBatch = Integer.parseInt(a.getOrDefault("fill-integrate-batch", "100000"));
        integrateIntervalMs = Long.parseLong(a.getOrDefault("integrate-interval-ms", "200"));
        checkpointIntervalMs = Long.parseLong(a.getOrDefault("checkpoint-interval-ms", "2000"));
        singlesPerDeployment = Integer.parseInt(a.getOrDefault("singles-per-deployment", "10"));
        proofs = Integer.parseInt(a.getOrDefault("proofs", "10000"));
        pages = Integer.parseInt(a.getOrDefault("pages", "200"));
        consistencyProofs = Integer.parseInt(a.getOrDefault("consistency-proofs", "2000"));
        checkpoints = Integer.parseInt(a.getOrDefault("checkpoints", "200"));
        data = Path.of(a.getOrDefault("data", "target/audit-bench"));
        jfr = a.get("jfr");
        String fill = a.getOrDefault("fill", "appender");
        if (!fill.equals("appender") && !fill.equals("sql")) {
            throw new IllegalArgumentException("--fill is appender or sql");
        }
        sqlFill = fill.equals("sql");
        fillConnections = Integer.parseInt(a.getOrDefault("fill-connections", "2"));
        for (String kv : a.getOrDefault("postgres-config", "").split(",")) {
            if (!kv.isBlank()) {
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--postgres-config takes name=value,…; not " + kv);
                }
                postgresConfig.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        if (entries < 10_000 || window < 1_000 || window > entries) {
            throw new IllegalArgumentException("--entries must be ≥ 10000 and --window 1000 .. entries");
        }
        if (cohort > owners || fillCohort > owners) {
            throw new IllegalArgumentException("--cohort and --fill-cohort must be ≤ --owners (" + owners + ")");
        }
        RANDOM.nextBytes(ownerTextKey);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.print(USAGE);
                return;
            }
            if (!arg.startsWith("--") || i + 1 >= argv.length) {
                System.err.print("unexpected argument " + arg + "\n" + USAGE);
                System.exit(2);
            }
            a.put(arg.substring(2), argv[++i]);
        }
        AuditBench bench;
        try {
            bench = new AuditBench(a);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        try {
            bench.run();
        } finally {
            bench.stop();
        }
    }

    private void run() throws Exception {
        System.out.printf("audit bench: %,d entries, %,d owners, window %,d; load %s; %d processors%n",
                entries, owners, window, loadAverage(), Runtime.getRuntime().availableProcessors());
        long t = System.nanoTime();
        postgres = LocalPostgres.start(data.resolve("postgres"), 0, postgresConfig);
        if (!postgresConfig.isEmpty()) {
            System.out.printf("PostgreSQL settings beyond the local stack's: %s%n", postgresConfig);
        }
        cpu = new CpuSampler(0, 0, 0, data.resolve("postgres").toAbsolutePath().toString());
        try (Connection c = connect(true)) {
            Migrations.applyAll(c);
            try (Statement s = c.createStatement()) {
                s.execute("insert into owner (owner_id, subject, created_at)"
                        + " select gen_random_uuid(), 'audit-bench-' || g, now() from generate_series(1, " + owners + ") g");
            }
            List<UUID> ids = new ArrayList<>(owners);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select owner_id from owner")) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            Collections.shuffle(ids, new java.util.Random(17));
            ownerIds = ids.toArray(UUID[]::new);
        }
        System.out.printf("PostgreSQL started, schema migrated, %,d owners created in %.1f s%n", owners, secondsSince(t));

        Sequencer sequencer = new Sequencer();
        Thread seqThread = new Thread(sequencer, "sequencer");
        sequencerBatch = fillIntegrateBatch;
        seqThread.start();

        // 1. Fill.
        long fillEnd = entries - window;
        long fillStart = System.nanoTime();
        CpuSnapshot fillCpu0 = cpuSnapshot();
        if (fillEnd > 0) {
            Progress progress = new Progress("fill", fillEnd);
            progress.start();
            if (sqlFill) {
                sqlFill(fillEnd);
            }
            if (!sqlFill) {
                Thread w = new Thread(() -> cohortWriter(fillEnd, fillCohort, new SplittableRandom(1)), "fill-writer");
                w.start();
                w.join();
            }
            checkFailure();
            awaitIntegrated(fillEnd);
            progress.interrupt();
            progress.join();
        }
        double fillSeconds = secondsSince(fillStart);
        CpuSnapshot fillCpu1 = cpuSnapshot();
        if (fillEnd > 0 && sqlFill) {
            System.out.printf("fill: %,d entries (%,d per owner written in SQL, synthetic; the rest appended) and integrated"
                            + " (batches of %,d) in %.1f s: %,.0f entries/s; load %s%n", fillEnd, syntheticRounds, fillIntegrateBatch,
                    fillSeconds, fillEnd / fillSeconds, loadAverage());
            System.out.printf("fill: %s%n", cpuPerEntry(fillCpu0, fillCpu1, fillEnd));
        } else if (fillEnd > 0) {
            System.out.printf("fill: %,d entries appended (%,d owners per transaction) and integrated (batches of %,d)"
                            + " in %.1f s: %,.0f entries/s; %s%n", fillEnd, fillCohort, fillIntegrateBatch, fillSeconds,
                    fillEnd / fillSeconds, loadAverage());
            System.out.printf("fill: %s%n", cpuPerEntry(fillCpu0, fillCpu1, fillEnd));
        }

        // 2. The measured window.
        sequencerBatch = integrateBatch;
        researchMs.clear();
        Recording rec = startJfr();
        WindowStats ws = new WindowStats();
        CheckpointSigner signer = new CheckpointSigner();
        Thread signerThread = new Thread(signer, "checkpoint-signer");
        Progress progress = new Progress("window", entries);
        long w0 = System.nanoTime();
        long a0 = appended.get();
        CpuSampler.Sample winCpu0 = cpu.fullSample();
        CpuSnapshot winSnap0 = cpuSnapshot();
        signerThread.start();
        progress.start();
        List<Thread> research = new ArrayList<>();
        for (int i = 0; i < researchWriters; i++) {
            int seed = 100 + i;
            research.add(new Thread(() -> ws.researchTx.addAndGet(cohortWriter(entries, cohort, new SplittableRandom(seed))),
                    "research-writer-" + i));
        }
        AtomicBoolean windowDone = new AtomicBoolean();
        Thread singles = new Thread(() -> singleWriter(ws, windowDone), "single-writer");
        research.forEach(Thread::start);
        singles.start();
        for (Thread r : research) {
            r.join();
        }
        long appendedNanos = System.nanoTime();
        windowDone.set(true);
        singles.join();
        checkFailure();
        awaitIntegrated(entries);
        long w1 = System.nanoTime();
        CpuSampler.Sample winCpu1 = cpu.fullSample();
        CpuSnapshot winSnap1 = cpuSnapshot();
        signer.stop.set(true);
        signerThread.join();
        progress.interrupt();
        progress.join();
        stopJfr(rec, "window");
        stopSequencer.set(true);
        seqThread.join();
        checkFailure();
        long windowEntries = entries - a0;
        double windowSeconds = (w1 - w0) / 1e9;
        double appendPerS = windowEntries / windowSeconds;
        double wholeRate = entries / (fillSeconds + windowSeconds);
        System.out.printf("window: %,d entries (%,d .. %,d) appended and integrated in %.2f s: %,.0f entries/s"
                        + " (appends alone committed in %.2f s: %,.0f/s; the sequencer caught up %.2f s after the last commit)%n",
                windowEntries, a0, entries, windowSeconds, appendPerS, (appendedNanos - w0) / 1e9,
                windowEntries / ((appendedNanos - w0) / 1e9), (w1 - appendedNanos) / 1e9);
        System.out.printf("window mix: %d research writers, %,d research transactions of ≤ %,d owners, %,d single-owner transactions,"
                        + " %,d deployment entries; single-owner transaction p50 %.2f ms p99 %.2f ms;"
                        + " research transaction p50 %.1f ms p99 %.1f ms%n",
                researchWriters, ws.researchTx.get(), cohort, ws.singleTx.get(), ws.deploymentTx.get(),
                percentile(ws.singleMs, 50), percentile(ws.singleMs, 99),
                percentile(researchMs, 50), percentile(researchMs, 99));
        System.out.printf("window sequencer: %,d integrations, p50 %.1f ms p99 %.1f ms per call (batch ≤ %,d), most pending %,d%n",
                sequencer.windowCalls(), percentile(sequencer.windowMs, 50), percentile(sequencer.windowMs, 99),
                integrateBatch, sequencer.mostPending.get());
        System.out.printf("window checkpoints (signer every %d ms, concurrent): %d, p50 %.1f ms p99 %.1f ms max %.1f ms%n",
                checkpointIntervalMs, signer.ms.size(), percentile(signer.ms, 50), percentile(signer.ms, 99),
                percentile(signer.ms, 100));
        System.out.printf("window: load %s; machine %s%n", loadAverage(), CpuSampler.machine(winCpu0, winCpu1));
        System.out.printf("window: %s%n", cpuPerEntry(winSnap0, winSnap1, entries - a0));
        System.out.printf("whole fill: %,d entries in %.1f s: %,.0f entries/s%n", entries, fillSeconds + windowSeconds, wholeRate);

        // 3. Proofs and checkpoints on the full tree.
        try (Connection c = connect(true); Statement s = c.createStatement()) {
            long v = System.nanoTime();
            s.execute("vacuum analyze audit_pending, audit_head, audit_tile, audit_owner_chain, audit_checkpoint");
            s.execute("analyze audit_owner_entry, audit_leaf, audit_deployment_entry");
            System.out.printf("vacuum (churned tables) and analyze: %.1f s%n", secondsSince(v));
        }
        double[] proof = proofs();
        double checkpointP99 = checkpoints();
        sizes();
        for (String w : warnings) {
            System.out.println("WARNING: " + w);
        }
        System.out.printf(Locale.ROOT, "RESULT audit entries=%d append_per_s=%.0f proof_p99_ms=%.2f checkpoint_ms=%.1f%n",
                integrated.get(), appendPerS, proof[1], checkpointP99);
    }

    // ---------------------------------------------------------------- the SQL fill

    /**
     * Writes {@code fillEnd / owners} rounds of one entry per owner in SQL, each round one statement
     * (as the appender writes them: the entry row, its pending commitment; the chain heads in the last
     * round), while the sequencer integrates. The sealed bytes are of a real DATA_USE entry's length
     * but synthetic; the commitment is SHA-256("audit-bench-synthetic/" || entry id), which the proof
     * phase recomputes to verify such leaves.
     */
    private void sqlFill(long fillEnd) throws Exception {
        // The last of the fill (up to 200,000 entries) still goes through the appender, so that the
        // window does not start with the appender's code cold (JIT).
        syntheticRounds = (fillEnd - Math.min(200_000, fillEnd / 10)) / owners;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queryId", UUID.randomUUID().toString());
        details.put("leaseId", UUID.randomUUID().toString());
        details.put("organisationId", "5b0a3c1e-8d5f-4c4e-9a53-2f1c7e0b9d11");
        details.put("purpose", "cardiovascular-outcomes-2026");
        details.put("metric", "heart_rate");
        details.put("aggregate", "daily_mean_p90");
        details.put("days", 30);
        details.put("epsilon", 1.0);
        details.put("cohort", cohort);
        UUID sample = ownerIds[0];
        int sealedLength = seal(List.of(sample), List.of(new byte[32 + entryBytes("DATA_USE", Instant.now(), sample, 50,
                new byte[32], details).length]))[0].length;
        int md5s = (sealedLength + 15) / 16;
        String round = "with e as (select o.owner_id, nextval('audit_entry_id_seq') as entry_id,"
                + " substring(decode(repeat(md5(o.owner_id::text || ?), " + md5s + "), 'hex') from 1 for " + sealedLength + ") as sealed"
                + " from (select owner_id from owner where (hashtext(owner_id::text) & 2147483647) % ? = ? order by owner_id) o),"
                + " i as (insert into audit_owner_entry (owner_id, entry_id, seq, sealed) select owner_id, entry_id, ?, sealed from e),"
                + " c as (insert into audit_owner_chain (owner_id, last_seq, last_commitment)"
                + "   select owner_id, ?, sha256(convert_to('audit-bench-synthetic/' || entry_id, 'UTF8')) from e where ?"
                + "   on conflict (owner_id) do update set last_seq = excluded.last_seq, last_commitment = excluded.last_commitment)"
                + " insert into audit_pending (entry_id, commitment)"
                + " select entry_id, sha256(convert_to('audit-bench-synthetic/' || entry_id, 'UTF8')) from e order by entry_id";
        List<Thread> parts = new ArrayList<>();
        for (int k = 0; k < fillConnections; k++) {
            int part = k;
            parts.add(new Thread(() -> {
                try (Connection c = connect(false); PreparedStatement ps = c.prepareStatement(round)) {
                    for (long r = 1; r <= syntheticRounds && failure.get() == null; r++) {
                        ps.setString(1, "/" + r);
                        ps.setInt(2, fillConnections);
                        ps.setInt(3, part);
                        ps.setLong(4, r);
                        ps.setLong(5, r);
                        ps.setBoolean(6, r == syntheticRounds);
                        int n = ps.executeUpdate();
                        c.commit();
                        reserved.addAndGet(n);
                        appended.addAndGet(n);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "sql-fill-" + k));
        }
        parts.forEach(Thread::start);
        for (Thread t : parts) {
            t.join();
        }
        checkFailure();
        Thread w = new Thread(() -> cohortWriter(fillEnd, fillCohort, new SplittableRandom(1)), "fill-writer");
        w.start();
        w.join();
    }

    // ---------------------------------------------------------------- writers

    private final List<Double> researchMs = Collections.synchronizedList(new ArrayList<>());

    /** Takes up to {@code want} of the entries left below {@code limit}; 0 when none are left. */
    private int reserve(long limit, int want) {
        while (true) {
            long r = reserved.get();
            long take = Math.min(want, limit - r);
            if (take <= 0) {
                return 0;
            }
            if (reserved.compareAndSet(r, r + take)) {
                return (int) take;
            }
        }
    }

    /** Appends cohorts (a contiguous slice of the shuffled owners, wrapping) until {@code limit}; returns transactions. */
    private long cohortWriter(long limit, int size, SplittableRandom random) {
        long tx = 0;
        try (Connection c = connect(false)) {
            int n;
            while ((n = reserve(limit, size)) > 0 && failure.get() == null) {
                int start = random.nextInt(ownerIds.length);
                List<UUID> cohortOwners = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    cohortOwners.add(ownerIds[(start + i) % ownerIds.length]);
                }
                UUID query = UUID.randomUUID();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("queryId", query.toString());
                details.put("leaseId", UUID.randomUUID().toString());
                details.put("organisationId", "5b0a3c1e-8d5f-4c4e-9a53-2f1c7e0b9d11");
                details.put("purpose", "cardiovascular-outcomes-2026");
                details.put("metric", "heart_rate");
                details.put("aggregate", "daily_mean_p90");
                details.put("days", 30);
                details.put("epsilon", 1.0);
                details.put("cohort", n);
                long t = System.nanoTime();
                append(c, cohortOwners, "DATA_USE", details);
                c.commit();
                researchMs.add((System.nanoTime() - t) / 1e6);
                appended.addAndGet(n);
                tx++;
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
        return tx;
    }

    /** Single-owner transactions (a consent, a caregiver read…) and now and then a deployment entry, until the window ends. */
    private void singleWriter(WindowStats ws, AtomicBoolean done) {
        SplittableRandom random = new SplittableRandom(3);
        String[] kinds = {"CONSENT_GRANTED", "CAREGIVER_READ", "DATA_EXPORTED", "EMERGENCY_READ", "CONSENT_AMENDED"};
        try (Connection c = connect(false)) {
            long k = 0;
            while (!done.get() && failure.get() == null) {
                if (reserve(entries, 1) == 0) {
                    break;
                }
                long t = System.nanoTime();
                if (++k % (singlesPerDeployment + 1) == 0) {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("leaseId", UUID.randomUUID().toString());
                    details.put("organisationId", "5b0a3c1e-8d5f-4c4e-9a53-2f1c7e0b9d11");
                    details.put("purpose", "cardiovascular-outcomes-2026");
                    details.put("epsilon", 2.0);
                    Instant at = Instant.now();
                    AuditAppender.appendDeployment(c, "LEASE_APPROVED", at, entryBytes("LEASE_APPROVED", at, null, 0, null, details));
                    c.commit();
                    ws.deploymentTx.incrementAndGet();
                } else {
                    UUID owner = ownerIds[random.nextInt(ownerIds.length)];
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("grantId", UUID.randomUUID().toString());
                    details.put("organisationId", "5b0a3c1e-8d5f-4c4e-9a53-2f1c7e0b9d11");
                    details.put("terms", "heart_rate:daily:365d");
                    append(c, List.of(owner), kinds[random.nextInt(kinds.length)], details);
                    c.commit();
                    ws.singleTx.incrementAndGet();
                }
                ws.singleMs.add((System.nanoTime() - t) / 1e6);
                appended.incrementAndGet();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void append(Connection c, List<UUID> who, String kind, Map<String, Object> details) throws SQLException {
        OwnerEntryTemplate template = ownerEntries(kind, Instant.now(), details);
        AuditAppender.appendForOwners(c, who, template::entry, this::seal);
    }

    /** Owner entries as AuditLog writes them: the shared fields serialised once (Jackson), owner, seq and prev spliced in. */
    private OwnerEntryTemplate ownerEntries(String kind, Instant at, Map<String, Object> details) {
        return new OwnerEntryTemplate(json(head(kind, at)), json(details));
    }

    /** The entry as AuditLog writes it. */
    private byte[] entryBytes(String kind, Instant at, UUID owner, long seq, byte[] prev, Map<String, Object> details) {
        if (owner != null) {
            return ownerEntries(kind, at, details).entry(owner, seq, prev);
        }
        Map<String, Object> e = head(kind, at);
        e.put("details", details);
        return json(e);
    }

    private static Map<String, Object> head(String kind, Instant at) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("v", 1);
        e.put("log", ORIGIN);
        e.put("kind", kind);
        e.put("at", at.toString());
        return e;
    }

    private byte[] json(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** OwnerTextSeal.sealBytesEach, purpose AUDIT_ENTRY: 0x01 || nonce || AES-256-GCM(ct || tag), AAD label || owner. */
    private byte[][] seal(List<UUID> who, List<byte[]> plains) {
        byte[] nonces = new byte[GCM_NONCE * who.size()];
        RANDOM.nextBytes(nonces);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec spec = new SecretKeySpec(ownerTextKey, "AES");
            byte[][] out = new byte[who.size()][];
            for (int i = 0; i < out.length; i++) {
                byte[] plain = plains.get(i);
                byte[] sealed = new byte[1 + GCM_NONCE + plain.length + GCM_TAG_BITS / 8];
                sealed[0] = 0x01;
                System.arraycopy(nonces, i * GCM_NONCE, sealed, 1, GCM_NONCE);
                gcm.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(GCM_TAG_BITS, sealed, 1, GCM_NONCE));
                gcm.updateAAD(aad(who.get(i)));
                gcm.doFinal(plain, 0, plain.length, sealed, 1 + GCM_NONCE);
                out[i] = sealed;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] open(UUID owner, byte[] sealed) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ownerTextKey, "AES"),
                new GCMParameterSpec(GCM_TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + GCM_NONCE)));
        gcm.updateAAD(aad(owner));
        return gcm.doFinal(sealed, 1 + GCM_NONCE, sealed.length - 1 - GCM_NONCE);
    }

    private static byte[] aad(UUID owner) {
        byte[] label = "vitalvault/v1/owner-text/AUDIT_ENTRY".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return java.nio.ByteBuffer.allocate(label.length + 16).put(label)
                .putLong(owner.getMostSignificantBits()).putLong(owner.getLeastSignificantBits()).array();
    }

    private static final class WindowStats {
        final AtomicLong researchTx = new AtomicLong();
        final AtomicLong singleTx = new AtomicLong();
        final AtomicLong deploymentTx = new AtomicLong();
        final List<Double> singleMs = Collections.synchronizedList(new ArrayList<>());
    }

    // ---------------------------------------------------------------- sequencer and signer

    /**
     * The vault's sequencer: integrates up to its batch and commits; again at once when it integrated
     * something, after the interval when nothing was queued or another sequencer held the lock.
     */
    private final class Sequencer implements Runnable {
        final List<Double> windowMs = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong mostPending = new AtomicLong();

        long windowCalls() {
            return windowMs.size();
        }

        private long lastCount = System.nanoTime() - 10_000_000_000L;

        private void countPending(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from audit_pending");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
            c.commit();
        }

        @Override
        public void run() {
            try (Connection c = connect(false)) {
                while (!stopSequencer.get() && failure.get() == null) {
                    long t = System.nanoTime();
                    int batch = sequencerBatch;
                    Optional<AuditIntegrator.Integration> r = AuditIntegrator.integrate(c, batch);
                    c.commit();
                    double ms = (System.nanoTime() - t) / 1e6;
                    if (r.isPresent()) {
                        lastHead.set(r.get().head());
                        integrated.set(r.get().head().size());
                        mostPending.accumulateAndGet(appended.get() - r.get().head().size(), Math::max);
                    }
                    if (r.isPresent() && r.get().integrated() > 0 && batch == integrateBatch) {
                        windowMs.add(ms);
                    }
                    // As the vault's AuditSequencer: again at once after a full batch, else (the
                    // queue drained) the next run one interval later; the queue counted every 10 s.
                    if (r.isEmpty() || r.get().integrated() < batch) {
                        if (System.nanoTime() - lastCount >= 10_000_000_000L) {
                            countPending(c);
                            lastCount = System.nanoTime();
                        }
                        Thread.sleep(integrateIntervalMs);
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** The vault's checkpoint signer, every interval while the window runs. */
    private final class CheckpointSigner implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Double> ms = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void run() {
            try (Connection c = connect(false)) {
                long lastSize = -1;
                while (!stop.get() && failure.get() == null) {
                    Thread.sleep(checkpointIntervalMs);
                    long t = System.nanoTime();
                    Optional<Long> size = checkpoint(c, lastSize);
                    if (size.isPresent()) {
                        ms.add((System.nanoTime() - t) / 1e6);
                        lastSize = size.get();
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /**
     * One checkpoint as the vault's signer issues it, committed: the head, the root recomputed from
     * the tiles and compared with the head's (a tile that disagrees with the head stops the signer),
     * the C2SP checkpoint signed as a note, stored. Empty when the head did not grow past {@code lastSize}.
     */
    private Optional<Long> checkpoint(Connection c, long lastSize) throws SQLException {
        TreeHead head = AuditTiles.head(c);
        if (head.size() == lastSize || head.size() == 0) {
            c.commit();
            return Optional.empty();
        }
        byte[] root = MerkleProofs.root(head.size(), new AuditTiles(c));
        if (!Arrays.equals(root, head.rootHash())) {
            throw new IllegalStateException("the tiles' root at " + head.size() + " is not the head's");
        }
        String text = new Checkpoint(ORIGIN, head.size(), root).text();
        String note = SignedNote.sign(text, noteKey, ed25519());
        if (!AuditCheckpoints.insert(c, new AuditCheckpoints.Stored(head.size(), root, note, Instant.now()))) {
            warnings.add("a checkpoint of size " + head.size() + " existed already");
        }
        c.commit();
        return Optional.of(head.size());
    }

    private UnaryOperator<byte[]> ed25519() {
        return message -> {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, signingKey);
            s.update(message, 0, message.length);
            return s.generateSignature();
        };
    }

    // ---------------------------------------------------------------- proofs

    /** A reader that counts its reads, to check "one read per proof". */
    private static final class CountingReader implements NodeReader {
        final NodeReader inner;
        int reads;

        CountingReader(NodeReader inner) {
            this.inner = inner;
        }

        @Override
        public List<byte[]> read(List<Node> nodes) {
            reads++;
            return inner.read(nodes);
        }
    }

    private record Leaf(UUID owner, long seq, long index, byte[] leafHash) {
    }

    /** {p50, p99} of the inclusion proofs, in ms. */
    private double[] proofs() throws Exception {
        try (Connection c = connect(true)) {
            TreeHead head = AuditTiles.head(c);
            long size = head.size();
            byte[] root = head.rootHash();
            SplittableRandom random = new SplittableRandom(4);
            // Random owners' random entries, opened and their commitments recomputed (untimed).
            long p0 = System.nanoTime();
            List<Leaf> leaves = new ArrayList<>(proofs);
            Map<UUID, Long> lastSeq = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select owner_id, last_seq from audit_owner_chain where last_seq > 0")) {
                while (rs.next()) {
                    lastSeq.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
            UUID[] withEntries = lastSeq.keySet().toArray(UUID[]::new);
            int synthetic = 0;
            try (PreparedStatement ps = c.prepareStatement("select o.sealed, l.leaf_index, o.entry_id from audit_owner_entry o"
                    + " join audit_leaf l on l.entry_id = o.entry_id where o.owner_id = ? and o.seq = ?")) {
                while (leaves.size() < proofs) {
                    UUID owner = withEntries[random.nextInt(withEntries.length)];
                    long seq = 1 + random.nextLong(lastSeq.get(owner));
                    ps.setObject(1, owner);
                    ps.setLong(2, seq);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("entry " + seq + " of owner " + owner + " is missing or not integrated");
                        }
                        byte[] commitment;
                        if (seq <= syntheticRounds) {
                            commitment = java.security.MessageDigest.getInstance("SHA-256").digest(
                                    ("audit-bench-synthetic/" + rs.getLong(3)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            synthetic++;
                        } else {
                            byte[] plain = open(owner, rs.getBytes(1));
                            byte[] salt = Arrays.copyOfRange(plain, 0, 32);
                            byte[] entry = Arrays.copyOfRange(plain, 32, plain.length);
                            commitment = AuditCommitment.of(salt, entry);
                        }
                        leaves.add(new Leaf(owner, seq, rs.getLong(2), MerkleHash.leaf(commitment)));
                    }
                }
            }
            System.out.printf("proofs: %,d random owners' entries looked up and opened (%,d of them synthetic: SQL fill),"
                    + " commitments recomputed in %.1f s (untimed)%n", proofs, synthetic, secondsSince(p0));

            Recording rec = startJfr();
            // Inclusion: one tile read + verification, per proof.
            for (int i = 0; i < Math.min(500, leaves.size()); i++) { // warm-up
                Leaf l = leaves.get(i);
                MerkleVerifier.verifyInclusion(l.leafHash(), l.index(), size,
                        MerkleProofs.inclusion(l.index(), size, new AuditTiles(c)), root);
            }
            List<Double> ms = new ArrayList<>(proofs);
            int maxReads = 0;
            long proofBytes = 0;
            CpuSampler.Sample c0 = cpu.fullSample();
            for (Leaf l : leaves) {
                long t = System.nanoTime();
                CountingReader reader = new CountingReader(new AuditTiles(c));
                List<byte[]> proof = MerkleProofs.inclusion(l.index(), size, reader);
                MerkleVerifier.verifyInclusion(l.leafHash(), l.index(), size, proof, root);
                ms.add((System.nanoTime() - t) / 1e6);
                maxReads = Math.max(maxReads, reader.reads);
                proofBytes += 32L * proof.size();
            }
            CpuSampler.Sample c1 = cpu.fullSample();
            double[] inclusion = {percentile(ms, 50), percentile(ms, 99)};
            System.out.printf("inclusion proofs at size %,d: %,d proofs, each read (%d read%s at most) and verified:"
                            + " p50 %.2f ms p99 %.2f ms max %.2f ms; %.0f bytes per proof on average; %s%n",
                    size, ms.size(), maxReads, maxReads == 1 ? "" : "s", inclusion[0], inclusion[1], percentile(ms, 100),
                    (double) proofBytes / ms.size(), CpuSampler.describe(c0, c1));

            // An owner's page as GET /owners/{id}/audit builds it: 100 consecutive entries opened, their
            // commitments recomputed, their leaf indexes (one query) and all their proofs (AuditTree, one
            // query), each proof verified; one snapshot.
            List<Double> pageMs = new ArrayList<>(pages);
            long pageEntries = 0;
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement("select seq, entry_id, sealed from audit_owner_entry"
                    + " where owner_id = ? and seq > ? order by seq limit " + PAGE)) {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                for (int p = 0; p < pages; p++) {
                    UUID owner = withEntries[random.nextInt(withEntries.length)];
                    long last = lastSeq.get(owner);
                    long after = last > PAGE ? random.nextLong(last - PAGE + 1) : 0;
                    long t = System.nanoTime();
                    ps.setObject(1, owner);
                    ps.setLong(2, after);
                    List<Long> entryIds = new ArrayList<>(PAGE);
                    List<byte[]> leafHashes = new ArrayList<>(PAGE);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long entryId = rs.getLong(2);
                            byte[] commitment;
                            if (rs.getLong(1) <= syntheticRounds) {
                                commitment = sha.digest(("audit-bench-synthetic/" + entryId)
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            } else {
                                byte[] plain = open(owner, rs.getBytes(3));
                                commitment = AuditCommitment.of(Arrays.copyOfRange(plain, 0, 32),
                                        Arrays.copyOfRange(plain, 32, plain.length));
                            }
                            entryIds.add(entryId);
                            leafHashes.add(MerkleHash.leaf(commitment));
                        }
                    }
                    Map<Long, Long> indexOf = AuditTree.leafIndexes(c, entryIds);
                    List<Long> indexes = entryIds.stream().map(indexOf::get).toList();
                    List<List<byte[]>> pageProofs = AuditTree.inclusionProofs(c, size, indexes);
                    for (int i = 0; i < indexes.size(); i++) {
                        MerkleVerifier.verifyInclusion(leafHashes.get(i), indexes.get(i), size, pageProofs.get(i), root);
                    }
                    c.commit();
                    pageMs.add((System.nanoTime() - t) / 1e6);
                    pageEntries += indexes.size();
                }
            }
            c.setReadOnly(false);
            c.setAutoCommit(true);
            System.out.printf("owner pages (AuditTree): %,d pages, %.0f entries each on average: entries read and opened,"
                            + " commitments recomputed, leaf indexes (1 query), all proofs (1 query), each verified:"
                            + " p50 %.1f ms p99 %.1f ms max %.1f ms%n",
                    pageMs.size(), (double) pageEntries / pageMs.size(), percentile(pageMs, 50), percentile(pageMs, 99),
                    percentile(pageMs, 100));

            // Consistency: from a random earlier size to the full tree (root of the earlier size untimed).
            List<Double> cms = new ArrayList<>(consistencyProofs);
            int maxCReads = 0;
            for (int i = 0; i < consistencyProofs; i++) {
                long m = 1 + random.nextLong(size - 1);
                byte[] root1 = MerkleProofs.root(m, new AuditTiles(c));
                long t = System.nanoTime();
                CountingReader reader = new CountingReader(new AuditTiles(c));
                List<byte[]> proof = MerkleProofs.consistency(m, size, reader);
                MerkleVerifier.verifyConsistency(m, size, proof, root1, root);
                cms.add((System.nanoTime() - t) / 1e6);
                maxCReads = Math.max(maxCReads, reader.reads);
            }
            stopJfr(rec, "proofs");
            System.out.printf("consistency proofs to size %,d from random sizes: %,d, each read (%d read%s at most) and verified:"
                            + " p50 %.2f ms p99 %.2f ms max %.2f ms%n", size, cms.size(), maxCReads, maxCReads == 1 ? "" : "s",
                    percentile(cms, 50), percentile(cms, 99), percentile(cms, 100));
            return inclusion;
        }
    }

    // ---------------------------------------------------------------- checkpoints at the full tree

    /** p99 in ms of {@code --checkpoints} checkpoints at the full tree (each row removed again, untimed, but the last). */
    private double checkpoints() throws Exception {
        Recording rec = startJfr();
        List<Double> ms = new ArrayList<>(checkpoints);
        try (Connection c = connect(false)) {
            // the window's signer may have signed the full tree already
            try (PreparedStatement ps = c.prepareStatement("delete from audit_checkpoint where tree_size = ?")) {
                ps.setLong(1, integrated.get());
                ps.executeUpdate();
            }
            c.commit();
            for (int i = 0; i < checkpoints + 20; i++) {
                long t = System.nanoTime();
                long size = checkpoint(c, -1).orElseThrow();
                double elapsed = (System.nanoTime() - t) / 1e6;
                if (i >= 20) { // the first 20 warm up
                    ms.add(elapsed);
                }
                if (i < checkpoints + 19) {
                    try (PreparedStatement ps = c.prepareStatement("delete from audit_checkpoint where tree_size = ?")) {
                        ps.setLong(1, size);
                        ps.executeUpdate();
                    }
                    c.commit();
                }
            }
            AuditCheckpoints.Stored last = AuditCheckpoints.latest(c).orElseThrow();
            c.commit();
            String text = SignedNote.open(last.note(), noteKey);
            Checkpoint parsed = Checkpoint.parse(text);
            if (parsed.size() != integrated.get() || !Arrays.equals(parsed.rootHash(), last.rootHash())) {
                throw new IllegalStateException("the stored checkpoint does not say what was signed");
            }
        }
        stopJfr(rec, "checkpoints");
        System.out.printf("checkpoints at size %,d (head, root from tiles = head, Ed25519 note, insert, commit): %d,"
                        + " p50 %.1f ms p99 %.1f ms max %.1f ms%n", integrated.get(), ms.size(), percentile(ms, 50),
                percentile(ms, 99), percentile(ms, 100));
        return percentile(ms, 99);
    }

    // ---------------------------------------------------------------- sizes

    private void sizes() throws SQLException {
        String[] tables = {"audit_owner_entry", "audit_owner_chain", "audit_deployment_entry", "audit_pending",
                "audit_leaf", "audit_tile", "audit_head", "audit_checkpoint"};
        long size = integrated.get();
        long total = 0;
        StringBuilder out = new StringBuilder();
        try (Connection c = connect(true);
             PreparedStatement ps = c.prepareStatement("select pg_total_relation_size(?::regclass), pg_relation_size(?::regclass),"
                     + " pg_indexes_size(?::regclass), (select count(*) from pg_class where oid = ?::regclass)")) {
            for (String t : tables) {
                for (int i = 1; i <= 4; i++) {
                    ps.setString(i, t);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long all = rs.getLong(1);
                    total += all;
                    out.append(String.format("  %-24s %,15d bytes (heap %,d, indexes %,d, toast %,d): %.1f bytes/entry%n", t,
                            all, rs.getLong(2), rs.getLong(3), all - rs.getLong(2) - rs.getLong(3), (double) all / size));
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select (select count(*) from audit_owner_entry), (select count(*) from audit_deployment_entry),"
                            + " (select count(*) from audit_tile), (select avg(octet_length(sealed)) from audit_owner_entry tablesample system (0.1))")) {
                rs.next();
                out.append(String.format("  rows: %,d owner entries, %,d deployment entries, %,d tiles; sealed owner entry ≈ %.0f bytes%n",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4)));
            }
        }
        System.out.printf("audit tables at %,d entries: %,d bytes, %.1f bytes per entry%n%s", size, total,
                (double) total / size, out);
    }

    // ---------------------------------------------------------------- CPU per entry

    /** CPU seconds of this JVM and of each PostgreSQL process of our cluster (postmaster and its children), by pid. */
    private record CpuSnapshot(long atNanos, double jvmSeconds, double postgresSeconds) {
    }

    /**
     * This JVM's CPU time and PostgreSQL's (CpuSampler: the postmaster, its live children, and the
     * children that ended, whose time the postmaster was charged when it reaped them: the window's
     * writers close their connections before the window's last snapshot).
     */
    private CpuSnapshot cpuSnapshot() {
        double jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        return new CpuSnapshot(System.nanoTime(), jvm, cpu.sample().cpuSeconds().getOrDefault("postgres", 0d));
    }

    /**
     * "bench JVM a µs + PostgreSQL b µs of CPU per entry": what the machine-independent cost of an
     * entry is, whatever else ran.
     */
    private static String cpuPerEntry(CpuSnapshot a, CpuSnapshot b, long entries) {
        double pg = b.postgresSeconds() - a.postgresSeconds();
        double jvm = b.jvmSeconds() - a.jvmSeconds();
        double seconds = (b.atNanos() - a.atNanos()) / 1e9;
        return String.format("CPU %.0f µs per entry (bench JVM %.0f µs: sealing, JSON, hashing, the sequencer; PostgreSQL %.0f µs),"
                        + " %.2f + %.2f cores over %.1f s; on 2 idle cores that would allow at most %,.0f entries/s",
                (jvm + pg) * 1e6 / entries, jvm * 1e6 / entries, pg * 1e6 / entries, jvm / seconds, pg / seconds, seconds,
                2 * entries / (jvm + pg));
    }

    // ---------------------------------------------------------------- plumbing

    private Connection connect(boolean autoCommit) throws SQLException {
        Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        c.setAutoCommit(autoCommit);
        return c;
    }

    private void awaitIntegrated(long size) throws Exception {
        while (integrated.get() < size) {
            checkFailure();
            Thread.sleep(5);
        }
    }

    private void checkFailure() throws Exception {
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("a bench thread failed: " + f, f);
        }
    }

    /** Prints progress every 10 s until interrupted. */
    private final class Progress extends Thread {
        private final long target;

        Progress(String phase, long target) {
            super(phase + "-progress");
            this.target = target;
            setDaemon(true);
        }

        @Override
        public void run() {
            long t0 = System.nanoTime();
            long i0 = integrated.get();
            CpuSampler.Sample s0 = cpu.sample();
            try {
                while (true) {
                    Thread.sleep(10_000);
                    CpuSampler.Sample s1 = cpu.sample();
                    long i = integrated.get();
                    System.out.printf("  %s %5.0f s: appended %,d, integrated %,d / %,d (%,.0f/s since the phase began); %s; load %s%n",
                            getName(), secondsSince(t0), appended.get(), i, target, (i - i0) / secondsSince(t0),
                            CpuSampler.describe(s0, s1), loadAverage());
                    s0 = s1;
                }
            } catch (InterruptedException e) {
                // done
            }
        }
    }

    private Recording startJfr() throws Exception {
        if (jfr == null) {
            return null;
        }
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.start();
        return r;
    }

    private void stopJfr(Recording r, String phase) throws Exception {
        if (r == null) {
            return;
        }
        r.stop();
        Path file = Path.of(jfr + "-" + phase + ".jfr");
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        r.dump(file);
        r.close();
        System.out.println("JFR recording of the " + phase + ": " + file.toAbsolutePath());
    }

    private void stop() {
        stopSequencer.set(true);
        if (postgres != null) {
            postgres.close();
        }
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
