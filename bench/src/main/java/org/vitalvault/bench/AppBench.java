package org.vitalvault.bench;

import static org.vitalvault.bench.BenchSupport.freePort;
import static org.vitalvault.bench.BenchSupport.enc;
import static org.vitalvault.bench.BenchSupport.loadAverage;
import static org.vitalvault.bench.BenchSupport.secondsSince;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

/**
 * {@code deploy/bench/app.sh}: the web app benchmark of issue 16. Starts the local stack through
 * {@link LocalStack} (embedded PostgreSQL, the embedded HiveMQ broker with per-device authentication,
 * vault-service's local build with the dev login, sensor-gateway), then:
 * <ol>
 *   <li>registers one owner, pairs one device and loads {@code --days} (30) of 1 Hz heart rate through
 *       the real gateway path ({@link GatewayLoad}, as {@code vault.sh} does), ending about now; waits
 *       until the gateway stored every reading and compaction made the sealed segments and their
 *       hourly rollups;</li>
 *   <li>checks and times the vault's own reads over HTTP (raw 24 h, hourly 30 days, latest) as the
 *       reference for the browser figures;</li>
 *   <li>drives headless Chromium ({@link AppBrowserProbe}) through the dev login, then loads each page
 *       afresh (a new document each time, HTTP cache warm) {@code --warmup} + {@code --runs} times, the
 *       three pages interleaved so that machine noise falls on all alike, and takes navigation start →
 *       {@code performance.mark('vv-home-ready')} on {@code #/home} and → {@code vv-chart-drawn} on the
 *       24 h and the 30-day chart;</li>
 *   <li>splits one chart load into fetch, JSON parse, columns and uPlot draw inside the page.</li>
 * </ol>
 * The last line is {@code RESULT app home_ms=… chart_24h_raw_ms=… chart_30d_hour_ms=…} (medians).
 */
public final class AppBench {

    private static final String USAGE = """
            usage: deploy/bench/app.sh [options]
              --days D              days of 1 Hz heart rate loaded through the gateway (30; 1..30)
              --runs N              timed page loads per page (15), after --warmup (3) untimed ones
              --rest-calls N        timed calls per vault read of the REST reference (10)
              --width W --height H  the browser window (1280 x 900)
              --chromium PATH       /usr/bin/chromium
              --chromedriver PATH   /usr/bin/chromedriver
              --subject S           the owner's subject at the dev login (app-bench-owner)
              --jfr PREFIX          record the vault with JFR (settings=profile) during the timed raw 24 h
                                    reads of the REST reference: PREFIX-raw24h.jfr
              (app.sh itself: --rebuild, --keep)
            """;

    private static final long DAY_SECONDS = 86_400L;
    /** As in VaultBench: the newest reading lies a little ahead of the load's start (the gateway takes ≤ 5 min). */
    private static final long AHEAD_SECONDS = 120;

    private final Map<String, String> args;
    private final int days;
    private final int runs;
    private final int warmup;
    private final int restCalls;
    private final List<String> warnings = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private CpuSampler cpu;
    private CpuSampler.Sample lastMachine;

    private AppBench(Map<String, String> args) {
        this.args = args;
        this.days = Integer.parseInt(args.getOrDefault("days", "30"));
        this.runs = Integer.parseInt(args.getOrDefault("runs", "15"));
        this.warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
        this.restCalls = Integer.parseInt(args.getOrDefault("rest-calls", "10"));
        if (days < 1 || days > 30) {
            throw new IllegalArgumentException("--days must be 1..30 (the gateway refuses readings older than 30 days)");
        }
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("--runs must be ≥ 1, --warmup ≥ 0");
        }
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
        int rc;
        try {
            rc = new AppBench(a).run();
        } catch (Exception | Error e) {
            System.out.println("app bench FAILED: " + e);
            e.printStackTrace(System.out);
            rc = 1;
        }
        System.exit(rc);
    }

    private int run() throws Exception {
        Path repo = Path.of(required("repo")).toAbsolutePath().normalize();
        Path data = Path.of(required("data")).toAbsolutePath().normalize();
        Files.createDirectories(data);
        long readings = days * DAY_SECONDS;
        say("machine: %d cores, %s %s, JDK %s; load average %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                loadAverage());
        say("settings: %d days of 1 Hz heart rate = %,d readings through the gateway; %d warm-up + %d timed loads per"
                        + " page; window %s x %s; vault compaction interval %s", days, readings, warmup, runs,
                args.getOrDefault("width", "1280"), args.getOrDefault("height", "900"),
                System.getProperty("vitalvault.compaction.interval", "default (PT30S)"));

        // The bench loads days of readings from one device as fast as the gateway takes them: no device quota.
        Map<String, String> gateway = Map.of("vitalvault.gateway.limits.device-readings-per-second", "0",
                "vitalvault.gateway.limits.device-bytes-per-second", "0");
        LocalStack.Options options = new LocalStack.Options(repo, data, Optional.empty(), "postgres", "",
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(), gateway);
        long t = System.nanoTime();
        LocalStack started = LocalStack.start(options);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stopStack = () -> {
            if (closed.compareAndSet(false, true)) {
                started.close();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stopStack, "bench-stack-stop"));
        try {
            LocalStack stack = started;
            say("stack up in %.1f s: vault %s, gateway %s, broker %s; logs in %s", secondsSince(t), stack.vaultUrl(),
                    stack.gatewayUrl(), stack.mqttUrl(), data.resolve("logs"));
            cpu = new CpuSampler(childPid("sensor-gateway"), childPid("vault-service"), 0,
                    data.resolve("postgres").toString());

            // 1. One owner, one device, days of 1 Hz heart rate through the gateway, compacted.
            String subject = args.getOrDefault("subject", "app-bench-owner");
            VaultClient vault = new VaultClient(stack.vaultUrl());
            String token = vault.devToken(subject, "owner");
            UUID owner = vault.registerOrFind(token);
            VaultClient.Pairing device = vault.pair(token, owner, "bench chest strap");
            say("owner %s (subject %s) registered, device %s paired", owner, subject, device.deviceId());
            long firstSecond = Instant.now().getEpochSecond() - readings + AHEAD_SECONDS;
            long lastSecond = firstSecond + readings - 1;
            GatewayWatcher watcher = new GatewayWatcher(stack.gatewayManagementUrl(), 500);
            watcher.start();
            double storedBase = watcher.now().stored();
            GatewayLoad loader = new GatewayLoad(60, 64, 600_000, this::machine);
            long loadStart = System.nanoTime();
            long acked = loader.publish(stack.mqttUrl(), device, firstSecond, readings, watcher, storedBase);
            GatewayWatcher.Snapshot s = loader.waitStored(watcher, storedBase, readings);
            watcher.close();
            double stored = s.stored() - storedBase;
            say("[seed] %,d readings published, %,.0f stored by the gateway (%,.0f rejected) in %.1f s; device times %s … %s",
                    acked, stored, s.rejected(), secondsSince(loadStart), Instant.ofEpochSecond(firstSecond),
                    Instant.ofEpochSecond(lastSecond));
            if (stored < readings) {
                warnings.add(String.format(Locale.ROOT, "the gateway stored %,.0f of %,d readings", stored, readings));
            }
            loader.waitCompacted(stack.jdbcUrl(), loadStart);

            // The ranges the pages show: the data's own end (about now: it was loaded ahead of the load's start).
            Instant end = Instant.ofEpochSecond(lastSecond + 1);
            Instant from24h = end.minus(Duration.ofHours(24));
            Instant from30d = end.minus(Duration.ofDays(Math.min(days, 30)));
            say("[ranges] data end %s (%d s from now); 24 h: %s … %s; %d days: %s … %s", end,
                    end.getEpochSecond() - Instant.now().getEpochSecond(), from24h, end, days, from30d, end);

            // 2. The vault's own reads, the reference for the browser's figures.
            String base = stack.vaultUrl() + "/owners/" + owner + "/readings";
            String raw = base + "?metric=heart_rate&resolution=raw&from=" + enc(from24h) + "&until=" + enc(end);
            String hourly = base + "?metric=heart_rate&resolution=hour&from=" + enc(from30d) + "&until=" + enc(end);
            Rest restRaw = rest("raw 24h", raw, token, "readings", 86_400, "raw24h");
            Rest restHourly = rest("hourly 30d", hourly, token, "buckets", days * 24, null);
            Rest restLatest = rest("latest", base + "/latest", token, null, 1, null);

            // 3. The browser.
            String app = stack.vaultUrl() + "/app/";
            List<AppBrowserProbe.Page> pages = List.of(
                    new AppBrowserProbe.Page("home", app + "#/home", "vv-home-ready", "/readings/latest"),
                    new AppBrowserProbe.Page("chart_24h_raw", app + "#/chart/heart_rate?from=" + from24h + "&until=" + end,
                            "vv-chart-drawn", "/readings?"),
                    new AppBrowserProbe.Page("chart_30d_hour", app + "#/chart/heart_rate?from=" + from30d + "&until=" + end,
                            "vv-chart-drawn", "/readings?"));
            Map<String, List<AppBrowserProbe.Load>> loads = new LinkedHashMap<>();
            pages.forEach(p -> loads.put(p.name(), new ArrayList<>()));
            CpuSampler.Sample c0;
            CpuSampler.Sample c1;
            double chromium;
            AppBrowserProbe.InPage split24;
            AppBrowserProbe.InPage split30;
            try (AppBrowserProbe browser = AppBrowserProbe.start(args.getOrDefault("chromium", "/usr/bin/chromium"),
                    args.getOrDefault("chromedriver", "/usr/bin/chromedriver"),
                    Integer.parseInt(args.getOrDefault("width", "1280")),
                    Integer.parseInt(args.getOrDefault("height", "900")), data.resolve("browser"))) {
                say("[browser] %s", browser.version());
                long tl = System.nanoTime();
                browser.devLogin(app, subject, "owner");
                say("[browser] dev login as %s done in %.1f s", subject, secondsSince(tl));
                for (int round = 0; round < warmup; round++) {
                    for (AppBrowserProbe.Page p : pages) {
                        AppBrowserProbe.Load l = browser.load(p);
                        say("[%s] warm-up %d: %s", p.name(), round + 1, l.describe());
                    }
                }
                c0 = cpu.fullSample();
                for (int round = 0; round < runs; round++) {
                    for (AppBrowserProbe.Page p : pages) {
                        AppBrowserProbe.Load l = browser.load(p);
                        loads.get(p.name()).add(l);
                        say("[%s] run %d: %s", p.name(), round + 1, l.describe());
                    }
                }
                c1 = cpu.fullSample();
                chromium = chromiumCores(c0, c1); // while its processes still run
                // 4. Where the time of a chart goes, inside the page (after the timed runs: it disturbs nothing).
                browser.load(pages.get(1));
                split24 = browser.inPage(raw, token);
                browser.load(pages.get(2));
                split30 = browser.inPage(hourly, token);
            }
            say("[browser] CPU over the timed loads: %s; this run's Chromium %.2f cores; other processes on the machine"
                            + " (not this run's) %.2f cores; top others: %s", CpuSampler.describe(c0, c1),
                    chromium, Math.max(0, CpuSampler.elsewhere(c0, c1) - chromium), cpu.topOthers(c0, c1, 5));
            double others = Math.max(0, CpuSampler.elsewhere(c0, c1) - chromium);
            if (others > 0.15) {
                warnings.add(String.format(Locale.ROOT, "other processes used %.2f cores during the timed page loads: the"
                        + " figures are pessimistic, run again on a quiet machine", others));
            }

            say("— summary (navigation start → mark, %d timed loads each after %d warm-up; median / p95 / min / max) —",
                    runs, warmup);
            Map<String, Double> medians = new LinkedHashMap<>();
            for (AppBrowserProbe.Page p : pages) {
                List<AppBrowserProbe.Load> ls = loads.get(p.name());
                double[] ms = ls.stream().mapToDouble(AppBrowserProbe.Load::markMs).sorted().toArray();
                medians.put(p.name(), percentile(ms, 50));
                AppBrowserProbe.Load last = ls.get(ls.size() - 1);
                say("%-15s %8.1f / %8.1f / %8.1f / %8.1f ms (target ≤ 1,000 ms); %s", p.name(), percentile(ms, 50),
                        percentile(ms, 95), ms[0], ms[ms.length - 1], phases(ls));
                say("%-15s drawn: %s points, resolution %s, data %s", "", last.drawn(), last.resolution(),
                        last.fetch() == null ? "-" : String.format(Locale.ROOT, "%,d bytes JSON", last.fetch().bodyBytes()));
                say("%-15s requests of the last load (ms since navigation start): %s", "", last.waterfall());
                checkDrawn(p, last);
            }
            say("vault over HTTP from the bench (median of %d): raw 24 h %.1f ms (%,d bytes), hourly 30 d %.1f ms (%,d bytes),"
                            + " latest %.1f ms", restCalls, restRaw.medianMs(), restRaw.bytes(), restHourly.medianMs(),
                    restHourly.bytes(), restLatest.medianMs());
            say("in the page, 24 h raw: %s", split24.describe());
            say("in the page, 30 d hourly: %s", split30.describe());
            for (String w : warnings) {
                say("WARNING: %s", w);
            }
            String result = String.format(Locale.ROOT, "RESULT app home_ms=%.1f chart_24h_raw_ms=%.1f chart_30d_hour_ms=%.1f",
                    medians.get("home"), medians.get("chart_24h_raw"), medians.get("chart_30d_hour"));
            say("stopping the stack …");
            stopStack.run();
            System.out.println(result);
            return 0;
        } finally {
            stopStack.run();
        }
    }

    /** The points drawn and the resolution the page asked for, against what the bench loaded. */
    private void checkDrawn(AppBrowserProbe.Page p, AppBrowserProbe.Load l) {
        if (p.name().equals("chart_24h_raw")) {
            if (!"86400".equals(l.drawn()) || !"raw".equals(l.resolution())) {
                warnings.add(p.name() + ": drew " + l.drawn() + " points at resolution " + l.resolution()
                        + ", expected 86400 at raw");
            }
        } else if (p.name().equals("chart_30d_hour")) {
            if (!"hour".equals(l.resolution())) {
                warnings.add(p.name() + ": resolution " + l.resolution() + ", expected hour (drew " + l.drawn() + " points)");
            }
        }
    }

    /** Median phases of a page's loads: until the data fetch starts, the fetch's wait and download, after it. */
    private static String phases(List<AppBrowserProbe.Load> ls) {
        if (ls.stream().anyMatch(l -> l.fetch() == null)) {
            return "phases: no data fetch seen";
        }
        double[] before = ls.stream().mapToDouble(l -> l.fetch().startMs()).sorted().toArray();
        double[] waiting = ls.stream().mapToDouble(l -> l.fetch().responseStartMs() - l.fetch().startMs()).sorted().toArray();
        double[] download = ls.stream().mapToDouble(l -> l.fetch().responseEndMs() - l.fetch().responseStartMs()).sorted()
                .toArray();
        double[] after = ls.stream().mapToDouble(l -> l.markMs() - l.fetch().responseEndMs()).sorted().toArray();
        return String.format(Locale.ROOT, "phases (medians): navigation start until the data request %.1f ms, until its first"
                        + " byte %.1f ms (the vault reads), body %.1f ms (the vault serialises as it sends), after the last byte"
                        + " until the mark %.1f ms (parse, columns, draw)", percentile(before, 50),
                percentile(waiting, 50), percentile(download, 50), percentile(after, 50));
    }

    // ---------------------------------------------------------------- the vault's reads

    private record Rest(double medianMs, long bytes) {
    }

    private Rest rest(String label, String url, String token, String listField, int expected, String jfr)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(2)).GET().build();
        HttpResponse<byte[]> first = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (first.statusCode() != 200) {
            throw new IllegalStateException(label + ": status " + first.statusCode() + ": "
                    + new String(first.body(), StandardCharsets.UTF_8));
        }
        JsonNode body = json.readTree(first.body());
        int items = listField == null ? body.size() : body.path(listField).size();
        if (listField == null ? items < expected : items < expected - 1 || items > expected + 1) {
            warnings.add(String.format(Locale.ROOT, "%s: %,d items, expected %,d", label, items, expected));
        }
        for (int i = 0; i < 3; i++) {
            http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        String prefix = args.get("jfr");
        long vault = childPid("vault-service");
        boolean recording = jfr != null && prefix != null && vault > 0;
        if (recording) {
            jcmd(vault, "JFR.start", "name=bench-" + jfr, "settings=profile",
                    "filename=" + Path.of(prefix + "-" + jfr + ".jfr").toAbsolutePath());
        }
        double[] ms = new double[restCalls];
        for (int i = 0; i < restCalls; i++) {
            long t = System.nanoTime();
            http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        if (recording) {
            jcmd(vault, "JFR.stop", "name=bench-" + jfr);
            say("[vault] JFR recording: %s-%s.jfr (summary: java -cp \"bench/target/classes:bench/target/lib/*\" %s %s-%s.jfr)",
                    prefix, jfr, JfrSummary.class.getName(), prefix, jfr);
        }
        Arrays.sort(ms);
        say("[vault] %s: %,d %s, %,d bytes; %d calls after 3 warm-up: median %.1f ms, min %.1f, max %.1f", label, items,
                listField == null ? "metrics" : listField, first.body().length, restCalls, percentile(ms, 50), ms[0],
                ms[ms.length - 1]);
        return new Rest(percentile(ms, 50), first.body().length);
    }

    // ---------------------------------------------------------------- CPU

    private String machine() {
        CpuSampler.Sample now = cpu.sample();
        String s = lastMachine == null ? "" : CpuSampler.machine(lastMachine, now);
        lastMachine = now;
        return s;
    }

    /** Cores used over [a, b] by this run's Chromium and chromedriver (descendants of this JVM). */
    private static double chromiumCores(CpuSampler.Sample a, CpuSampler.Sample b) {
        double seconds = (b.atNanos() - a.atNanos()) / 1e9;
        double sum = 0;
        for (long pid : ProcessHandle.current().descendants().mapToLong(ProcessHandle::pid).toArray()) {
            Map.Entry<String, Double> e = b.all().get(pid);
            if (e != null && e.getKey().startsWith("chrom")) {
                Map.Entry<String, Double> before = a.all().get(pid);
                sum += e.getValue() - (before == null ? 0 : before.getValue());
            }
        }
        return sum / seconds;
    }

    // ---------------------------------------------------------------- helpers

    /** Nearest-rank percentile of a sorted array. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static long childPid(String module) {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(module + "/target/quarkus-app")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
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





    private String required(String key) {
        String v = args.get(key);
        if (v == null) {
            System.err.print("--" + key + " is required\n" + USAGE);
            System.exit(2);
        }
        return v;
    }

    static void say(String format, Object... values) {
        System.out.println(String.format(Locale.ROOT, format, values));
    }
}
