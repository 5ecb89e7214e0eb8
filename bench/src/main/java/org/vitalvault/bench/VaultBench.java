package org.vitalvault.bench;

import static org.vitalvault.bench.BenchSupport.freePort;
import static org.vitalvault.bench.BenchSupport.enc;
import static org.vitalvault.bench.BenchSupport.loadAverage;
import static org.vitalvault.bench.BenchSupport.secondsSince;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.store.CompactionBacklog;
import org.vitalvault.store.StoreFootprint;

/**
 * {@code deploy/bench/vault.sh}: the vault benchmark of issue 4. Starts through {@link LocalStack}
 * the whole local stack — embedded PostgreSQL (fsync on), the embedded HiveMQ broker with the
 * vault's per-device authentication and topic permissions, vault-service and sensor-gateway — then:
 * <ol>
 *   <li>registers one owner and pairs one device through the vault's REST API, runs VACUUM and
 *       ANALYZE and measures the size of every table of the public schema (the empty baseline);</li>
 *   <li>loads {@code --days} (30) of 1 Hz heart rate ({@link HeartRateWalk}) through the real
 *       gateway path: the device connects with its own credentials and publishes SenML JSON packs
 *       of {@code --pack} (60) readings to {@code readings/{deviceId}} with QoS 1, as fast as the
 *       broker acknowledges, {@code --inflight} (64) unacknowledged;</li>
 *   <li>waits until the gateway stored every reading ({@code vitalvault_gateway_readings_stored_total})
 *       and compaction consumed every pending batch ({@code reading_batch} empty), runs VACUUM (plain,
 *       not FULL) and ANALYZE, and measures bytes per reading with a per-table breakdown;</li>
 *   <li>times owner reads through HTTP with the owner's token: raw series of the last complete 24 h,
 *       hourly series of 30 days, and the FHIR export (when the vault has it).</li>
 * </ol>
 * The last line is {@code RESULT vault bytes_per_reading=… series_24h_raw_ms=… series_30d_hourly_ms=…
 * export_readings_per_s=…}.
 */
public final class VaultBench {

    private static final String USAGE = """
            usage: deploy/bench/vault.sh [options]
              --days D              days of 1 Hz heart rate loaded (30; the gateway refuses readings older than 30 days)
              --pack N              readings per SenML message (60: one message per minute of data)
              --inflight N          unacknowledged QoS 1 publishes (64)
              --max-backlog N       most readings published but not yet stored by the gateway (600000)
              --calls N             timed calls per series read (30), after --warmup-calls (5)
              --export-runs N       timed exports (3), after one warm-up
              --gw key=value        a sensor-gateway property, repeatable
              --jfr PREFIX          record the vault with JFR (settings=profile) during each read phase:
                                    PREFIX-raw24h.jfr, PREFIX-hourly30d.jfr, PREFIX-export.jfr
              --vacuum-full-after   after measuring, also run VACUUM FULL and print the sizes again (diagnostic only)
              (vault.sh itself: --rebuild, --keep, --compaction-interval ISO (PT1S))
            """;

    private static final long DAY_SECONDS = 86_400L;
    /**
     * How far ahead of the start the newest reading lies: the device times cover exactly
     * {@code days} × 86,400 s at 1 Hz, which fits into the gateway's window of 30 days back only
     * if the series ends a little in the future (≤ 5 min is accepted) and is loaded oldest first.
     */
    private static final long AHEAD_SECONDS = 120;

    private final Map<String, String> args;
    private final int days;
    private final int pack;
    private final int inflight;
    private final long maxBacklog;
    private final int calls;
    private final int warmupCalls;
    private final int exportRuns;
    private final List<String> warnings = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private CpuSampler cpu;
    private long vaultPid;

    private VaultBench(Map<String, String> args) {
        this.args = args;
        this.days = Integer.parseInt(args.getOrDefault("days", "30"));
        this.pack = Integer.parseInt(args.getOrDefault("pack", "60"));
        this.inflight = Integer.parseInt(args.getOrDefault("inflight", "64"));
        this.maxBacklog = Long.parseLong(args.getOrDefault("max-backlog", "600000"));
        this.calls = Integer.parseInt(args.getOrDefault("calls", "30"));
        this.warmupCalls = Integer.parseInt(args.getOrDefault("warmup-calls", "5"));
        this.exportRuns = Integer.parseInt(args.getOrDefault("export-runs", "3"));
        if (days < 1 || days > 30) {
            throw new IllegalArgumentException("--days must be 1..30");
        }
        if (pack < 1 || pack > 999) {
            throw new IllegalArgumentException("--pack must be 1..999 (the gateway takes at most 1,000 records)");
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> gw = new LinkedHashMap<>();
        // The bench loads days of readings per device as fast as the gateway takes them: no device
        // quota (decision 028), unless --gw sets one.
        gw.put("vitalvault.gateway.limits.device-readings-per-second", "0");
        gw.put("vitalvault.gateway.limits.device-bytes-per-second", "0");
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.print(USAGE);
                return;
            }
            if (arg.equals("--vacuum-full-after")) {
                a.put(arg.substring(2), "true");
                continue;
            }
            if (!arg.startsWith("--") || i + 1 >= argv.length) {
                System.err.print("unexpected argument " + arg + "\n" + USAGE);
                System.exit(2);
            }
            String value = argv[++i];
            if (arg.equals("--gw")) {
                int eq = value.indexOf('=');
                if (eq < 1) {
                    System.err.println("--gw needs key=value, got " + value);
                    System.exit(2);
                }
                gw.put(value.substring(0, eq), value.substring(eq + 1));
            } else {
                a.put(arg.substring(2), value);
            }
        }
        int rc;
        try {
            rc = new VaultBench(a).run(gw);
        } catch (Exception | Error e) {
            System.out.println("vault bench FAILED: " + e);
            e.printStackTrace(System.out);
            rc = 1;
        }
        System.exit(rc);
    }

    private int run(Map<String, String> gatewayProperties) throws Exception {
        Path repo = Path.of(required(args, "repo")).toAbsolutePath().normalize();
        Path data = Path.of(required(args, "data")).toAbsolutePath().normalize();
        Files.createDirectories(data);
        long readings = days * DAY_SECONDS;
        say("machine: %d cores, %s, JDK %s; load average %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.version"),
                loadAverage());
        say("settings: %d days of 1 Hz heart rate = %,d readings, SenML JSON packs of %d, QoS 1, %d in flight;"
                        + " %d + %d calls per series read, 1 + %d exports; vault compaction interval %s; gateway %s",
                days, readings, pack, inflight, warmupCalls, calls, exportRuns,
                System.getProperty("vitalvault.compaction.interval", "default (PT30S)"),
                gatewayProperties.isEmpty() ? "defaults" : gatewayProperties);

        LocalStack.Options options = new LocalStack.Options(repo, data, Optional.empty(), "postgres", "",
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(), gatewayProperties);
        say("starting PostgreSQL (embedded, fsync on), the embedded MQTT broker (per-device authentication),"
                + " vault-service and sensor-gateway …");
        long t = System.nanoTime();
        LocalStack started = LocalStack.start(options);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stopStack = () -> {
            if (closed.compareAndSet(false, true)) {
                started.close();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stopStack, "bench-stack-stop"));
        LocalStack stack = started;
        try {
            String jdbc = stack.jdbcUrl();
            say("stack up in %.1f s: vault %s, gateway %s, broker %s, PostgreSQL %s (%s); logs in %s", secondsSince(t),
                    stack.vaultUrl(), stack.gatewayUrl(), stack.mqttUrl(), jdbc, postgresSettings(jdbc),
                    data.resolve("logs"));
            long gatewayPid = childPid("sensor-gateway");
            vaultPid = childPid("vault-service");
            cpu = new CpuSampler(gatewayPid, vaultPid, 0, data.resolve("postgres").toString());

            // 1. One owner, one device; the empty baseline.
            VaultClient vault = new VaultClient(stack.vaultUrl());
            String token = vault.devToken("vault-bench-owner", "owner");
            UUID owner = vault.registerOrFind(token);
            VaultClient.Pairing device = vault.pair(token, owner, "bench chest strap");
            say("owner %s registered, device %s paired (topic %s)", owner, device.deviceId(), device.topic());
            vacuumAnalyze(jdbc);
            Sizes before = sizes(jdbc);
            say("database after registration (VACUUM; ANALYZE): %,d bytes in %d tables of the public schema",
                    before.total(), before.tables().size());

            // 2. Load through the gateway.
            long firstSecond = Instant.now().getEpochSecond() - days * DAY_SECONDS + AHEAD_SECONDS;
            long lastSecond = firstSecond + readings - 1;
            GatewayWatcher gateway = new GatewayWatcher(stack.gatewayManagementUrl(), 500);
            gateway.start();
            double storedBase = gateway.now().stored();
            CpuSampler.Sample c0 = cpu.fullSample();
            long loadStart = System.nanoTime();
            GatewayLoad loader = new GatewayLoad(pack, inflight, maxBacklog, this::machine);
            long acked = loader.publish(stack.mqttUrl(), device, firstSecond, readings, gateway, storedBase);
            double publishSeconds = secondsSince(loadStart);
            say("[load] %,d readings published and acknowledged by the broker in %.1f s (%,.0f readings/s); device times"
                    + " %s … %s", acked, publishSeconds, acked / publishSeconds, Instant.ofEpochSecond(firstSecond),
                    Instant.ofEpochSecond(lastSecond));
            GatewayWatcher.Snapshot s = loader.waitStored(gateway, storedBase, readings);
            double loadSeconds = secondsSince(loadStart);
            CpuSampler.Sample c1 = cpu.fullSample();
            double stored = s.stored() - storedBase;
            say("[load] gateway stored %,.0f readings in %.1f s from the first publish (%,.0f readings/s), rejected %,.0f %s;"
                            + " CPU: %s", stored, loadSeconds, stored / loadSeconds, s.rejected(),
                    s.rejectedByReason().isEmpty() ? "" : s.rejectedByReason(), CpuSampler.describe(c0, c1));
            gateway.close();
            if (s.rejected() > 0 || stored < readings) {
                warnings.add(String.format(Locale.ROOT, "the gateway stored %,.0f of %,d readings (%,.0f rejected: %s)",
                        stored, readings, s.rejected(), s.rejectedByReason()));
            }

            // 3. Compaction, then the size.
            loader.waitCompacted(jdbc, loadStart);
            long segmentReadings = segmentReadings(jdbc);
            say("[compaction] reading_segment holds %,d readings", segmentReadings);
            if (segmentReadings != readings) {
                warnings.add(String.format(Locale.ROOT, "reading_segment holds %,d readings, %,d were loaded",
                        segmentReadings, readings));
            }
            long tv = System.nanoTime();
            vacuumAnalyze(jdbc);
            say("[size] VACUUM (plain, not FULL) and ANALYZE in %.1f s", secondsSince(tv));
            Sizes after = sizes(jdbc);
            printSizes(before, after, segmentReadings);
            double bytesPerReading = (after.total() - before.total()) / (double) segmentReadings;
            say("[size] bytes_per_reading = (%,d − %,d) / %,d = %.2f", after.total(), before.total(), segmentReadings,
                    bytesPerReading);
            payload(jdbc, segmentReadings);

            // 4. Reads through HTTP with the owner's token.
            Instant end = Instant.ofEpochSecond(lastSecond + 1).truncatedTo(ChronoUnit.HOURS);
            String base = stack.vaultUrl() + "/owners/" + owner;
            String raw = base + "/readings?metric=heart_rate&resolution=raw&from=" + enc(end.minus(Duration.ofHours(24)))
                    + "&until=" + enc(end);
            String hourly = base + "/readings?metric=heart_rate&resolution=hour&from="
                    + enc(end.minus(Duration.ofDays(days))) + "&until=" + enc(end);
            Timing rawTiming = series("raw24h", raw, token, "readings", 86_400);
            Timing hourlyTiming = series("hourly30d", hourly, token, "buckets", days * 24);
            double exportRate = export(base + "/export?format=fhir", token, segmentReadings);

            say("— summary —");
            say("bytes_per_reading %.2f (target ≤ 8); series_24h_raw p50 %.1f ms, p90 %.1f ms (target ≤ 200 ms);"
                            + " series_30d_hourly p50 %.1f ms, p90 %.1f ms (target ≤ 50 ms); export %s readings/s"
                            + " (target ≥ 1,000,000)", bytesPerReading, rawTiming.p50(), rawTiming.p90(), hourlyTiming.p50(),
                    hourlyTiming.p90(), Double.isNaN(exportRate) ? "not measured" : String.format(Locale.ROOT, "%,.0f", exportRate));
            if (args.containsKey("vacuum-full-after")) {
                long tf = System.nanoTime();
                try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement st = c.createStatement()) {
                    st.execute("vacuum full");
                }
                Sizes full = sizes(jdbc);
                say("[diagnostic] after VACUUM FULL (%.1f s), not the figure: %,d bytes, %.2f bytes per reading", secondsSince(tf),
                        full.total(), (full.total() - before.total()) / (double) segmentReadings);
                printSizes(before, full, segmentReadings);
            }
            for (String w : warnings) {
                say("WARNING: %s", w);
            }
            String result = String.format(Locale.ROOT,
                    "RESULT vault bytes_per_reading=%.2f series_24h_raw_ms=%.1f series_30d_hourly_ms=%.1f export_readings_per_s=%s",
                    bytesPerReading, rawTiming.p50(), hourlyTiming.p50(),
                    Double.isNaN(exportRate) ? "na" : String.format(Locale.ROOT, "%.0f", exportRate));
            say("stopping the stack …");
            stopStack.run();
            System.out.println(result);
            return 0;
        } finally {
            stopStack.run();
        }
    }

    // ---------------------------------------------------------------- compaction and size

    private static long segmentReadings(String jdbc) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            return CompactionBacklog.of(c).segmentReadings();
        }
    }

    private static void vacuumAnalyze(String jdbc) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("vacuum");
            st.execute("analyze");
        }
    }

    /** One table's bytes: heap (main fork + free space map + visibility map), TOAST (with its index), indexes. */
    private record TableSize(String name, long total, long heap, long toast, long indexes, long rows) {
    }

    private record Sizes(long total, Map<String, TableSize> tables) {
    }

    private static Sizes sizes(String jdbc) throws SQLException {
        Map<String, TableSize> tables = new LinkedHashMap<>();
        long total = 0;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     select c.relname,
                            pg_total_relation_size(c.oid),
                            pg_relation_size(c.oid, 'main') + pg_relation_size(c.oid, 'fsm') + pg_relation_size(c.oid, 'vm'),
                            case when c.reltoastrelid = 0 then 0 else pg_total_relation_size(c.reltoastrelid) end,
                            pg_indexes_size(c.oid),
                            greatest(c.reltuples, 0)::bigint
                       from pg_class c join pg_namespace n on n.oid = c.relnamespace
                      where n.nspname = 'public' and c.relkind in ('r', 'p', 'm')
                      order by 2 desc, 1
                     """)) {
            while (rs.next()) {
                TableSize t = new TableSize(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6));
                tables.put(t.name(), t);
                total += t.total();
            }
        }
        return new Sizes(total, tables);
    }

    private static void printSizes(Sizes before, Sizes after, long readings) {
        say("[size] %-22s %13s %13s %11s %11s %11s %12s %9s", "table", "before", "after", "heap", "toast", "indexes",
                "rows (est.)", "B/reading");
        for (TableSize t : after.tables().values()) {
            TableSize b = before.tables().get(t.name());
            long was = b == null ? 0 : b.total();
            say("[size] %-22s %,13d %,13d %,11d %,11d %,11d %,12d %9.3f", t.name(), was, t.total(), t.heap(), t.toast(),
                    t.indexes(), t.rows(), (t.total() - was) / (double) readings);
        }
        say("[size] %-22s %,13d %,13d", "all (public schema)", before.total(), after.total());
    }

    /** What the compacted rows themselves hold, to tell the payload from PostgreSQL's overhead and dead space. */
    private static void payload(String jdbc, long readings) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            StoreFootprint.SegmentPayload p = StoreFootprint.segments(c);
            say("[size] reading_segment payload: %,d rows; sealed points %,d bytes (%.3f B/reading, %,d–%,d per hour),"
                            + " sealed rollups %,d bytes (%.3f B/reading), whole rows as stored %,d bytes (%.3f B/reading)",
                    p.rows(), p.pointsBytes(), p.pointsBytes() / (double) readings, p.minPoints(), p.maxPoints(),
                    p.rollupBytes(), p.rollupBytes() / (double) readings, p.rowBytes(), p.rowBytes() / (double) readings);
            for (StoreFootprint.TableRows t : StoreFootprint.rows(c)) {
                // Set by the VACUUM just run (the cumulative insert/update counters lag by up to 10 s).
                say("[size] %s after VACUUM: live rows %,d, dead rows %,d", t.table(), t.live(), t.dead());
            }
        }
    }

    // ---------------------------------------------------------------- reads

    private record Timing(double p50, double p90) {
    }

    /** Warm-up calls, then {@code calls} timed ones; each from sending to the last byte read. */
    private Timing series(String label, String url, String token, String listField, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(2)).GET().build();
        say("[%s] GET %s", label, url.substring(url.indexOf("/owners/")));
        HttpResponse<byte[]> first = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (first.statusCode() != 200) {
            throw new IllegalStateException(label + ": status " + first.statusCode() + ": "
                    + new String(first.body(), StandardCharsets.UTF_8));
        }
        JsonNode body = json.readTree(first.body());
        int items = body.path(listField).size();
        say("[%s] response: %,d bytes, %,d %s, count %s", label, first.body().length, items, listField, body.path("count"));
        if (items != expected) {
            warnings.add(String.format(Locale.ROOT, "%s: %,d %s, expected %,d", label, items, listField, expected));
        }
        for (int i = 1; i < warmupCalls; i++) {
            http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        startJfr(label);
        CpuSampler.Sample c0 = cpu.fullSample();
        double[] ms = new double[calls];
        long bytes = 0;
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - t) / 1e6;
            bytes += r.body().length;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(label + ": status " + r.statusCode());
            }
        }
        CpuSampler.Sample c1 = cpu.fullSample();
        stopJfr(label);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        Timing timing = new Timing(percentile(sorted, 50), percentile(sorted, 90));
        say("[%s] %d calls (after %d warm-up): p50 %.1f ms, p90 %.1f ms, min %.1f, max %.1f; %,d bytes each; all: %s",
                label, calls, warmupCalls, timing.p50(), timing.p90(), sorted[0], sorted[sorted.length - 1], bytes / calls,
                Arrays.toString(Arrays.stream(ms).map(v -> Math.round(v * 10) / 10d).toArray()));
        checkQuiet(label, c0, c1);
        return timing;
    }

    /** Readings per second of the FHIR export, median of {@code exportRuns} after one warm-up; NaN when there is none. */
    private double export(String url, String token, long readings) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(10)).GET().build();
        say("[export] GET %s", url.substring(url.indexOf("/owners/")));
        long t = System.nanoTime();
        Drained warm = drain(request);
        if (warm.status() != 200) {
            say("[export] status %d (%s): export not measured", warm.status(), warm.head());
            warnings.add("export: status " + warm.status() + "; export_readings_per_s=na");
            return Double.NaN;
        }
        say("[export] warm-up: %,d bytes (%.1f bytes per reading), %s, %.2f s; starts with: %s", warm.bytes(),
                warm.bytes() / (double) readings, warm.contentType(), secondsSince(t), warm.head());
        startJfr("export");
        CpuSampler.Sample c0 = cpu.fullSample();
        double[] seconds = new double[exportRuns];
        for (int i = 0; i < exportRuns; i++) {
            long s = System.nanoTime();
            Drained d = drain(request);
            seconds[i] = secondsSince(s);
            if (d.status() != 200 || d.bytes() != warm.bytes()) {
                warnings.add(String.format(Locale.ROOT, "export run %d: status %d, %,d bytes (warm-up %,d)", i + 1,
                        d.status(), d.bytes(), warm.bytes()));
            }
            say("[export] run %d: %.3f s, %,.0f readings/s, %,.0f MB/s", i + 1, seconds[i], readings / seconds[i],
                    d.bytes() / seconds[i] / 1e6);
        }
        CpuSampler.Sample c1 = cpu.fullSample();
        stopJfr("export");
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = percentile(sorted, 50);
        say("[export] median %.3f s: %,.0f readings/s", median, readings / median);
        checkQuiet("export", c0, c1);
        return readings / median;
    }

    private record Drained(int status, long bytes, String contentType, String head) {
    }

    private Drained drain(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        byte[] head = new byte[0];
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (head.length < 300 && n > 0) {
                    int keep = Math.min(300 - head.length, n);
                    byte[] h = Arrays.copyOf(head, head.length + keep);
                    System.arraycopy(buffer, 0, h, head.length, keep);
                    head = h;
                }
                bytes += n;
            }
        }
        return new Drained(r.statusCode(), bytes, r.headers().firstValue("Content-Type").orElse("?"),
                new String(head, StandardCharsets.UTF_8).replace('\n', ' '));
    }

    private void checkQuiet(String label, CpuSampler.Sample c0, CpuSampler.Sample c1) {
        double elsewhere = CpuSampler.elsewhere(c0, c1);
        say("[%s] CPU: %s; other processes: %s", label, CpuSampler.describe(c0, c1), cpu.topOthers(c0, c1, 5));
        if (elsewhere > 0.15) {
            warnings.add(String.format(Locale.ROOT, "%s: %.2f cores used by other processes on this machine; its figure"
                    + " may be high, run again on a quiet machine", label, elsewhere));
        }
    }

    // ---------------------------------------------------------------- JFR of the vault

    private void startJfr(String label) {
        String prefix = args.get("jfr");
        if (prefix != null && vaultPid > 0) {
            jcmd(vaultPid, "JFR.start", "name=bench-" + label, "settings=profile",
                    "filename=" + Path.of(prefix + "-" + label + ".jfr").toAbsolutePath());
        }
    }

    private void stopJfr(String label) {
        String prefix = args.get("jfr");
        if (prefix != null && vaultPid > 0) {
            jcmd(vaultPid, "JFR.stop", "name=bench-" + label);
            say("[%s] JFR recording of the vault: %s-%s.jfr (summary: java -cp \"bench/target/classes:bench/target/lib/*\""
                    + " %s %s-%s.jfr)", label, prefix, label, JfrSummary.class.getName(), prefix, label);
        }
    }

    private static void jcmd(long pid, String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(String.valueOf(pid));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim().replace('\n', ' ');
            p.waitFor(30, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                say("jcmd %s: %s", String.join(" ", command), out);
            }
        } catch (IOException | InterruptedException | IllegalThreadStateException e) {
            say("jcmd failed: %s", e);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Nearest-rank percentile of a sorted array. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private CpuSampler.Sample lastMachine;

    private String machine() {
        CpuSampler.Sample now = cpu.sample();
        String s = lastMachine == null ? "" : CpuSampler.machine(lastMachine, now) + " (gateway "
                + fmt2(CpuSampler.cores(lastMachine, now, "gateway")) + ", vault " + fmt2(CpuSampler.cores(lastMachine, now, "vault"))
                + ", postgres " + fmt2(CpuSampler.cores(lastMachine, now, "postgres")) + ", bench+broker "
                + fmt2(CpuSampler.cores(lastMachine, now, "bench load")) + ")";
        lastMachine = now;
        return s;
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String postgresSettings(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            StringBuilder b = new StringBuilder();
            for (String setting : List.of("fsync", "synchronous_commit", "server_version", "autovacuum")) {
                try (ResultSet rs = s.executeQuery("show " + setting)) {
                    rs.next();
                    b.append(b.length() == 0 ? "" : ", ").append(setting).append('=').append(rs.getString(1));
                }
            }
            return b.toString();
        } catch (Exception e) {
            return "settings unknown: " + e.getMessage();
        }
    }

    private static long childPid(String module) {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(module + "/target/quarkus-app")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }





    private static String required(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null) {
            System.err.print("--" + key + " is required\n" + USAGE);
            System.exit(2);
        }
        return v;
    }

    private static void say(String format, Object... values) {
        System.out.println(String.format(Locale.ROOT, format, values));
    }
}
