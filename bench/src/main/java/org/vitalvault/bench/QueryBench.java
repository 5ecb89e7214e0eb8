package org.vitalvault.bench;

import static org.vitalvault.bench.BenchSupport.freePort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vitalvault.crypto.BatchAad;
import org.vitalvault.crypto.BatchCipher;
import org.vitalvault.crypto.EpochKey;
import org.vitalvault.crypto.JwsSigner;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.reading.Reading;
import org.vitalvault.reading.ReadingBatchCodec;
import org.vitalvault.store.CompactionBacklog;
import org.vitalvault.store.NewEpoch;
import org.vitalvault.store.ReadingBatchWriter;
import org.vitalvault.store.SealedBatch;

/**
 * {@code deploy/bench/query.sh}: the query benchmark of issue 6. Starts the local stack through
 * {@link LocalStack}, registers {@code --owners} owners through the vault's REST API (dev tokens),
 * each pairing a device and granting consent to one researcher organisation (Ed25519 key, approved by
 * an operator); seeds {@code --days} of heart rate per owner as sealed reading_batch rows written over
 * JDBC exactly as the gateway seals them (HPKE epoch to the owner's public key, BatchCipher with
 * BatchAad, ReadingBatchCodec), waits for the vault's compaction to empty reading_batch; then, inside
 * a signed lease, times signed queries "daily MEAN and p90 of heart rate, 30 days" and measures the
 * relative error of single daily means released at ε = 1. The last line is
 * {@code RESULT query owners=… days=… p50_ms=… p99_ms=… rel_error_eps1=… hours=… register_s=… seed_s=…
 * compaction_s=… decide_ms=… read_ms=… release_ms=…}: the query figures first (as before issue 13),
 * then what the cost grows with — the set-up phases and the vault's own split of a query.
 *
 * <p><b>Scaling runs</b> (issue 13: 1,000 → 10,000 owners). A query reads one sealed daily rollup per
 * owner-day, however many hours of the day hold readings, so {@code --hours 1} keeps the query (30
 * DAY buckets, MEAN + p90) and what it reads the same as {@code --hours 4} while cutting seeding and
 * compaction (one hour per owner-day) by four; run both sizes with the same options.
 */
public final class QueryBench {

    private static final String USAGE = """
            usage: deploy/bench/query.sh [options]
              --owners N            owners (1000)
              --days D              days of heart rate per owner (30)
              --hours H             hours of each day holding readings (4: 06, 10, 14, 18 UTC)
              --per-hour R          readings per owner-hour (5)
              --warmup N            untimed queries first (5)
              --queries N           timed queries (20)
              --query-epsilon E     ε of each timed query (0.05)
              --releases N          most single-day means released at ε 1 for the error figure (100;
                                    fewer when the owners' yearly ε, -Dvitalvault.policy.max-epsilon-per-year, runs out)
              --compaction-timeout S  seconds to wait for compaction to empty reading_batch
                                    (default: 900, or 5 ms per sealed batch when that is more)
              Scaling run (issue 13): --owners 10000 --hours 1 --releases 20, and the same options at
              --owners 1000 for the comparison (query.sh --service-heap 2g for both).
              (query.sh itself: --rebuild, --keep)
            """;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    /**
     * The vault's system caps (vitalvault.policy.max-epsilon-per-lease/-per-year, defaults 2 and 10),
     * which LocalStack forwards to the vault; query.sh raises them so that one run can release many
     * daily means at ε 1. The owners' grants use the same values.
     */
    private static final double LEASE_EPSILON = Double.parseDouble(System.getProperty("vitalvault.policy.max-epsilon-per-lease", "2.0"));
    private static final double YEAR_EPSILON = Double.parseDouble(System.getProperty("vitalvault.policy.max-epsilon-per-year", "10.0"));

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> args;
    private String base;
    /** The vault's management interface (its /q/metrics: query phase timings). */
    private String management;

    private QueryBench(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("-h") || argv[i].equals("--help")) {
                System.out.print(USAGE);
                return;
            }
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                System.err.print("unexpected argument " + argv[i] + "\n" + USAGE);
                System.exit(2);
            }
            a.put(argv[i].substring(2), argv[++i]);
        }
        int rc;
        try {
            rc = new QueryBench(a).run();
        } catch (Exception | Error e) {
            System.out.println("query bench FAILED: " + e);
            e.printStackTrace(System.out);
            rc = 1;
        }
        System.exit(rc);
    }

    private int intArg(String k, int d) {
        return Integer.parseInt(args.getOrDefault(k, String.valueOf(d)));
    }

    private int run() throws Exception {
        int owners = intArg("owners", 1000);
        int days = intArg("days", 30);
        int hours = intArg("hours", 4);
        int perHour = intArg("per-hour", 5);
        int warmup = intArg("warmup", 5);
        int queries = intArg("queries", 20);
        double queryEpsilon = Double.parseDouble(args.getOrDefault("query-epsilon", "0.05"));
        int maxReleases = Integer.parseInt(args.getOrDefault("releases", "100"));
        long batchCount = (long) owners * days * hours;
        long compactionTimeout = Long.parseLong(args.getOrDefault("compaction-timeout",
                String.valueOf(Math.max(900, batchCount / 200))));
        Path repo = Path.of(args.get("repo")).toAbsolutePath().normalize();
        Path data = Path.of(args.get("data")).toAbsolutePath().normalize();
        Files.createDirectories(data);
        say("machine: %d cores, %s %s, JDK %s; load average %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                Files.readString(Path.of("/proc/loadavg")).trim());
        int[] hourList = new int[hours];
        for (int h = 0; h < hours; h++) {
            hourList[h] = (6 + h * 4) % 24;
        }
        say("settings: %d owners × %d days × %d hours/day %s × %d readings/hour = %,d readings in %,d sealed batches;"
                        + " %d warm-up + %d timed queries at ε %.3f each", owners, days, hours, Arrays.toString(hourList),
                perHour, (long) owners * days * hours * perHour, (long) owners * days * hours, warmup, queries, queryEpsilon);

        LocalStack.Options options = new LocalStack.Options(repo, data, Optional.empty(), "postgres", "",
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(), Map.of());
        long t0 = System.nanoTime();
        LocalStack stack = LocalStack.start(options);
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (closed.compareAndSet(false, true)) {
                stack.close();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop));
        try {
            base = stack.vaultUrl();
            management = stack.vaultManagementUrl();
            String jdbc = stack.jdbcUrl();
            say("stack up in %.1f s: vault %s, PostgreSQL %s", secs(t0), base, jdbc);

            // 1. The researcher organisation: Ed25519 key, registered, approved by an operator.
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = keys.getPublic().getEncoded();
            String researcherToken = devToken("researcher-bench", "researcher");
            JsonNode org = call("POST", "/researchers", researcherToken, Map.of("name", "Bench Cardiology",
                    "publicKey", Map.of("kty", "OKP", "crv", "Ed25519", "x",
                            B64URL.encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))), 201);
            UUID orgId = UUID.fromString(org.get("id").asText());
            call("POST", "/operator/researchers/" + orgId + "/approve", devToken("operator-bench", "operator"), null, 200);
            say("organisation %s registered and approved", orgId);

            // 2. Owners: register, pair a device, grant consent to the organisation.
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Map<String, Object> terms = new LinkedHashMap<>();
            terms.put("purposes", List.of("HRESCH"));
            terms.put("metrics", List.of("heart_rate"));
            terms.put("kinds", List.of("MEAN", "COUNT", "QUANTILES"));
            terms.put("granularity", "DAY");
            terms.put("dataWindow", window(now.minus(Duration.ofDays(365)), now.plus(Duration.ofDays(365))));
            terms.put("validity", window(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(180))));
            terms.put("minimumCohort", 11);
            terms.put("epsilonPerLease", LEASE_EPSILON);
            terms.put("epsilonPerYear", YEAR_EPSILON);
            terms.put("priceTier", "STANDARD");
            long tr = System.nanoTime();
            UUID[] ownerIds = new UUID[owners];
            UUID[] devices = new UUID[owners];
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < owners; i++) {
                int n = i;
                fs.add(pool.submit(() -> {
                    String token = devToken("bench-owner-" + n, "owner");
                    UUID id = UUID.fromString(call("POST", "/owners", token, null, 201).get("id").asText());
                    devices[n] = UUID.fromString(call("POST", "/owners/" + id + "/devices", token,
                            Map.of("name", "chest strap"), 201).get("id").asText());
                    call("POST", "/owners/" + id + "/grants", token,
                            Map.of("audience", Map.of("researcher", orgId.toString()), "terms", terms), 201);
                    ownerIds[n] = id;
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            double registerSeconds = secs(tr);
            say("[owners] %d owners registered, paired and consenting in %.1f s", owners, registerSeconds);

            // 3. Seed sealed batches as the gateway does, one HPKE epoch per owner-day.
            Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
            double[][] ownerDayMean = new double[days + 1][owners];
            long ts = System.nanoTime();
            fs.clear();
            int threads = 2;
            for (int w = 0; w < threads; w++) {
                int worker = w;
                fs.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
                        PreparedStatement key = c.prepareStatement("select public_key, key_version from owner_key"
                                + " where owner_id = ? and retired_at is null order by key_version desc limit 1");
                        for (int i = worker; i < owners; i += threads) {
                            UUID owner = ownerIds[i];
                            key.setObject(1, owner);
                            byte[] pub;
                            int version;
                            try (ResultSet rs = key.executeQuery()) {
                                rs.next();
                                pub = rs.getBytes(1);
                                version = rs.getInt(2);
                            }
                            Random r = new Random(1000L + i);
                            double ownerBase = 58 + (i % 37);
                            List<NewEpoch> epochs = new ArrayList<>();
                            List<SealedBatch> batches = new ArrayList<>();
                            for (int d = 1; d <= days; d++) {
                                UUID epochId = UUID.randomUUID();
                                EpochKey ek = EpochKey.create(pub, owner, epochId);
                                epochs.add(new NewEpoch(owner, epochId, version, ek.enc()));
                                double sum = 0;
                                for (int h : hourList) {
                                    Instant hour = today.minus(Duration.ofDays(d)).plus(Duration.ofHours(h));
                                    long t = hour.toEpochMilli();
                                    List<Reading> readings = new ArrayList<>();
                                    for (int k = 0; k < perHour; k++) {
                                        // whole beats per minute, as a strap reports them
                                        double v = Math.round(ownerBase + 6 * Math.sin(d / 3.0) + r.nextGaussian() * 8);
                                        sum += v;
                                        long at = t + 1000 + k * 60_000L;
                                        readings.add(new Reading(devices[i], at, at + 5, v));
                                    }
                                    batches.add(new SealedBatch(owner, "heart_rate", hour, UUID.randomUUID(), epochId,
                                            readings.size(), BatchCipher.seal(ek.dataKey(),
                                            new BatchAad(owner, "heart_rate", hour, epochId), ReadingBatchCodec.encode(readings))));
                                }
                                ownerDayMean[d][i] = sum / (hours * perHour);
                            }
                            // The sealed store's own writer, as the gateway writes them.
                            ReadingBatchWriter.write(c, epochs, batches, Instant.now());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            double seedSeconds = secs(ts);
            say("[seed] %,d sealed batches written in %.1f s", batchCount, seedSeconds);
            double compactionSeconds = waitCompacted(jdbc, compactionTimeout);

            // True daily means over the cohort: mean over owners of the owner's daily mean (what CohortValues feeds the release).
            Map<Instant, Double> truth = new LinkedHashMap<>();
            for (int d = days; d >= 1; d--) {
                double s = 0;
                for (int i = 0; i < owners; i++) {
                    s += ownerDayMean[d][i];
                }
                truth.put(today.minus(Duration.ofDays(d)), s / owners);
            }

            // 4. Timed queries inside one lease.
            UUID lease = lease(keys, orgId, researcherToken, days);
            Map<String, Object> q = query(lease, today.minus(Duration.ofDays(days)), today, queryEpsilon);
            JsonNode first = postJws("/researchers/" + orgId + "/leases/" + lease + "/queries",
                    sign(keys, "vitalvault.lease-query", q), researcherToken, 200);
            JsonNode b0 = first.get("buckets").get(0);
            say("[query] first answer: %d buckets; bucket 0: %s (true mean %.3f)", first.get("buckets").size(), b0,
                    truth.get(today.minus(Duration.ofDays(days))));
            for (int i = 1; i < warmup; i++) {
                postJws("/researchers/" + orgId + "/leases/" + lease + "/queries",
                        sign(keys, "vitalvault.lease-query", query(lease, today.minus(Duration.ofDays(days)), today, queryEpsilon)),
                        researcherToken, 200);
            }
            double[] ms = new double[queries];
            for (int i = 0; i < queries; i++) {
                String jws = sign(keys, "vitalvault.lease-query", query(lease, today.minus(Duration.ofDays(days)), today, queryEpsilon));
                long t = System.nanoTime();
                postJws("/researchers/" + orgId + "/leases/" + lease + "/queries", jws, researcherToken, 200);
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double p50 = VaultBench.percentile(sorted, 50);
            double p99 = VaultBench.percentile(sorted, 99);
            say("[query] %d timed (after %d warm-up; signing excluded): p50 %.1f ms, p99 %.1f ms, min %.1f, max %.1f; all %s",
                    queries, warmup, p50, p99, sorted[0], sorted[sorted.length - 1],
                    Arrays.toString(Arrays.stream(ms).map(v -> Math.round(v * 10) / 10d).toArray()));

            Map<String, Double> phases = phases();
            say("[query] vault time per answered query (all %d, from its /q/metrics): %s", warmup + queries, describe(phases));

            // 5. Relative error of one daily mean released at ε = 1: single-day MEAN queries at ε 1,
            //    as many as the owners' yearly cap leaves (each release charges every owner ε 1).
            double spent = warmup * queryEpsilon + queries * queryEpsilon;
            int releases = Math.min(maxReleases, (int) Math.floor(YEAR_EPSILON - spent + 1e-9));
            List<Double> errors = new ArrayList<>();
            List<Double> scales = new ArrayList<>();
            UUID errLease = null;
            double leaseLeft = 0;
            for (int i = 0; i < releases; i++) {
                if (leaseLeft < 1.0 - 1e-9) {
                    errLease = lease(keys, orgId, researcherToken, days);
                    leaseLeft = LEASE_EPSILON;
                }
                Instant day = today.minus(Duration.ofDays(1 + (i % days)));
                Map<String, Object> eq = query(errLease, day, day.plus(Duration.ofDays(1)), 1.0);
                eq.put("kinds", List.of("MEAN"));
                eq.remove("quantiles");
                JsonNode a = postJws("/researchers/" + orgId + "/leases/" + errLease + "/queries",
                        sign(keys, "vitalvault.lease-query", eq), researcherToken, 200);
                leaseLeft -= 1.0;
                JsonNode mean = a.get("buckets").get(0).get("mean");
                double released = mean.get("value").asDouble();
                double tru = truth.get(day);
                errors.add(Math.abs(released - tru) / tru);
                scales.add(mean.get("noiseScale").asDouble() / tru);
                say("[error] release %d: %s released %.4f, true %.4f, |err|/true %.5f, noise scale %.4f (contributors %s)",
                        i + 1, day, released, tru, errors.get(i), mean.get("noiseScale").asDouble(),
                        a.get("buckets").get(0).path("contributors").path("value"));
            }
            double relError = median(errors);
            say("[error] median |released − true|/true over %d releases at ε 1: %.5f; median stated noise scale/true %.5f",
                    errors.size(), relError, median(scales));
            String result = String.format(Locale.ROOT, "RESULT query owners=%d days=%d p50_ms=%.1f p99_ms=%.1f rel_error_eps1=%.5f"
                            + " hours=%d register_s=%.1f seed_s=%.1f compaction_s=%.1f decide_ms=%.1f read_ms=%.1f release_ms=%.1f",
                    owners, days, p50, p99, relError, hours, registerSeconds, seedSeconds, compactionSeconds,
                    phases.getOrDefault("decide", Double.NaN), phases.getOrDefault("read", Double.NaN),
                    phases.getOrDefault("release", Double.NaN));
            stop.run();
            System.out.println(result);
            return 0;
        } finally {
            stop.run();
        }
    }

    private UUID lease(KeyPair keys, UUID org, String token, int days) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("requestId", UUID.randomUUID().toString());
        p.put("organisation", org.toString());
        p.put("issuedAt", now.toString());
        p.put("purpose", "HRESCH");
        p.put("metrics", List.of("heart_rate"));
        p.put("kinds", List.of("MEAN", "COUNT", "QUANTILES"));
        p.put("granularity", "DAY");
        p.put("dataWindow", window(now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days + 1)), now));
        p.put("validity", window(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(30))));
        p.put("epsilon", LEASE_EPSILON);
        JsonNode r = postJws("/researchers/" + org + "/leases", sign(keys, "vitalvault.lease-request", p), token, 201);
        say("[lease] %s", r.get("lease"));
        return UUID.fromString(r.get("lease").get("leaseId").asText());
    }

    private static Map<String, Object> query(UUID lease, Instant from, Instant until, double epsilon) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("queryId", UUID.randomUUID().toString());
        q.put("leaseId", lease.toString());
        q.put("issuedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        q.put("metric", "heart_rate");
        q.put("kinds", List.of("MEAN", "QUANTILES"));
        q.put("quantiles", List.of(0.9));
        q.put("granularity", "DAY");
        q.put("dataWindow", Map.of("from", from.toString(), "until", until.toString()));
        q.put("epsilon", epsilon);
        return q;
    }

    /** Waits until compaction has emptied reading_batch; the seconds it took. */
    private double waitCompacted(String jdbc, long timeoutSeconds) throws Exception {
        long t = System.nanoTime();
        long lastReport = 0;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            while (true) {
                CompactionBacklog backlog = CompactionBacklog.of(c);
                long rows = backlog.pendingBatches();
                if (backlog.caughtUp()) {
                    double took = secs(t);
                    say("[compaction] reading_batch empty after %.1f s; %,d segments holding %,d readings", took,
                            backlog.segments(), backlog.segmentReadings());
                    return took;
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                    say("[compaction] pending: %,d reading_batch rows (%.0f s)", rows, secs(t));
                    lastReport = System.nanoTime();
                }
                if (secs(t) > timeoutSeconds) {
                    throw new IllegalStateException("compaction did not finish within " + timeoutSeconds + " s: " + rows
                            + " rows left (--compaction-timeout)");
                }
                Thread.sleep(500);
            }
        }
    }

    /** Mean milliseconds per phase of the vault's vitalvault_query_phase_seconds timer, by phase. */
    private Map<String, Double> phases() throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(management + "/q/metrics")).timeout(Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> byPhase = new LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^vitalvault_query_phase_seconds_(sum|count)\\{phase=\"(\\w+)\"\\} ([0-9.eE+-]+)$").matcher(text);
        while (m.find()) {
            double[] sc = byPhase.computeIfAbsent(m.group(2), k -> new double[2]);
            sc[m.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(m.group(3));
        }
        Map<String, Double> ms = new LinkedHashMap<>();
        byPhase.forEach((phase, sc) -> ms.put(phase, sc[1] == 0 ? 0 : sc[0] / sc[1] * 1000));
        return ms;
    }

    private static String describe(Map<String, Double> phases) {
        StringBuilder out = new StringBuilder();
        phases.forEach((phase, ms) -> out.append(String.format(Locale.ROOT, "%s %.1f ms, ", phase, ms)));
        return out.length() == 0 ? "(no vitalvault_query_phase_seconds at /q/metrics)" : out.substring(0, out.length() - 2);
    }

    private static double median(List<Double> values) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String sign(KeyPair keys, String typ, Object payload) throws Exception {
        return JwsSigner.sign(keys.getPrivate(), typ, new ObjectMapper().writeValueAsBytes(payload));
    }

    private String devToken(String subject, String role) throws Exception {
        return call("POST", "/dev/tokens", null, Map.of("subject", subject, "role", role), 200).get("token").asText();
    }

    private JsonNode postJws(String path, String jws, String token, int expected) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(jws, StandardCharsets.US_ASCII)).build();
        return check(http.send(req, HttpResponse.BodyHandlers.ofByteArray()), "POST " + path, expected);
    }

    private JsonNode call(String method, String path, String token, Object body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return check(http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray()), method + " " + path, expected);
    }

    private JsonNode check(HttpResponse<byte[]> r, String what, int expected) throws Exception {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body().length == 0 ? null : json.readTree(r.body());
    }

    private static Map<String, Object> window(Instant from, Instant until) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("from", from.toString());
        w.put("until", until.toString());
        return w;
    }


    private static double secs(long t) {
        return (System.nanoTime() - t) / 1e9;
    }

    private static void say(String format, Object... values) {
        System.out.println(String.format(Locale.ROOT, format, values));
    }
}
