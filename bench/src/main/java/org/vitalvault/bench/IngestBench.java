package org.vitalvault.bench;

import static org.vitalvault.bench.BenchSupport.freePort;
import static org.vitalvault.bench.BenchSupport.loadAverage;
import static org.vitalvault.bench.BenchSupport.secondsSince;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vitalvault.deploy.stack.LocalStack;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.wire.Topics;

/**
 * {@code deploy/bench/ingest.sh}: the ingest benchmark of issue 3. Against an external broker (the
 * script starts Mosquitto) it starts embedded PostgreSQL (fsync on), vault-service and the real
 * sensor-gateway process through {@link LocalStack}, registers owners and pairs devices through the
 * vault's REST API, then runs, with the same load generator, broker and database:
 * <ol>
 *   <li><b>baseline</b>: the naive pipeline ({@link NaivePipeline}) on its own topic prefix, which the
 *       gateway does not subscribe to, flat out — warm-up, then a measured window;</li>
 *   <li><b>gateway</b>: the same load on {@code readings/…}, flat out — warm-up, measured window
 *       (readings committed from the gateway's {@code vitalvault_gateway_readings_stored_total});</li>
 *   <li><b>latency</b>: a fixed rate (default 10,000 readings/s) with publish → commit latency from
 *       the gateway's receipts ({@link ReceiptLatency}).</li>
 * </ol>
 * The gateway's heap is sampled from its /q/metrics throughout phases 2 and 3. The last line is
 * {@code RESULT ingest readings_per_s=… p50_ms=… p99_ms=… gateway_heap_mb=… baseline_readings_per_s=… ratio=…}.
 */
public final class IngestBench {

    private static final String USAGE = """
            usage: deploy/bench/ingest.sh [--duration S] [--pack N] [--rate R] [options]
              --duration S          measured window of each throughput phase, seconds (60)
              --pack N              readings per message (10)
              --rate R              readings/s of the latency phase (10000)
              --warmup S            unmeasured warm-up before each throughput window (10)
              --latency-duration S  measured window of the latency phase (30), after --latency-warmup (5)
              --owners N            owners registered (1000), each with --devices-per-owner devices (1)
              --publishers N        load generator connections (4); --inflight N unacked publishes each (500)
              --max-backlog N       flat out: most readings published but not yet consumed (200000)
              --gw key=value        a sensor-gateway property, repeatable (e.g. --gw vitalvault.gateway.batch.linger=PT0.01S)
              --baseline-batch N    naive pipeline: most messages per commit (500); --baseline-linger-ms (5)
              --baseline-jdbc-params P  appended to the naive pipeline's JDBC URL (e.g. reWriteBatchedInserts=true)
              --jfr FILE            record the gateway with JFR (settings=profile) during its measured window
              --skip-baseline, --skip-latency
              --tls-url ssl://H:P   devices, gateway and receipt reader use this TLS listener (ingest.sh --tls);
                                    the naive baseline stays on --mqtt-url in plaintext, so the ratio
                                    prices TLS in
              --tls-ca FILE         the PEM CA that signed the TLS listener's certificate
              --flood               after the latency phase, run it again beside one more device publishing 50 times
                                    its quota (vitalvault.gateway.limits.device-readings-per-second, 200 unless set
                                    with --gw) in packs of --pack; prints both phases' p99 of the normal devices
              (ingest.sh itself: --rebuild rebuilds the jars first, --keep keeps the work folder with logs and data)
            """;

    private final Map<String, String> args;
    private final int duration;
    private final int warmup;
    private final int pack;
    private final int rate;
    private final int latencyDuration;
    private final int latencyWarmup;
    private final int publishers;
    private final int inflight;
    private final long maxBacklog;
    private final String mqttUrl;
    /** Where the devices, the gateway and the receipt reader connect: the TLS listener with --tls-url. */
    private final String deviceUrl;
    private List<UUID> devices;
    private long[] deviceTimes;
    private final List<String> warnings = new ArrayList<>();
    private Path dataDir;

    private IngestBench(Map<String, String> args) {
        this.args = args;
        this.duration = Integer.parseInt(args.getOrDefault("duration", "60"));
        this.warmup = Integer.parseInt(args.getOrDefault("warmup", "10"));
        this.pack = Integer.parseInt(args.getOrDefault("pack", "10"));
        this.rate = Integer.parseInt(args.getOrDefault("rate", "10000"));
        this.latencyDuration = Integer.parseInt(args.getOrDefault("latency-duration", "30"));
        this.latencyWarmup = Integer.parseInt(args.getOrDefault("latency-warmup", "5"));
        this.publishers = Integer.parseInt(args.getOrDefault("publishers", "4"));
        this.inflight = Integer.parseInt(args.getOrDefault("inflight", "500"));
        this.maxBacklog = Long.parseLong(args.getOrDefault("max-backlog", "200000"));
        this.mqttUrl = required(args, "mqtt-url");
        this.deviceUrl = args.getOrDefault("tls-url", mqttUrl);
        if (args.containsKey("tls-ca")) {
            BenchSockets.trust(Path.of(args.get("tls-ca")).toAbsolutePath());
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> gw = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.print(USAGE);
                return;
            }
            if (arg.equals("--skip-baseline") || arg.equals("--skip-latency") || arg.equals("--flood")) {
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
            rc = new IngestBench(a).run(gw);
        } catch (Exception | Error e) {
            System.out.println("ingest bench FAILED: " + e);
            e.printStackTrace();
            rc = 1;
        }
        System.exit(rc);
    }

    private int run(Map<String, String> gatewayProperties) throws Exception {
        Path repo = Path.of(required(args, "repo")).toAbsolutePath().normalize();
        Path data = Path.of(required(args, "data")).toAbsolutePath().normalize();
        Files.createDirectories(data);
        dataDir = data;
        int owners = Integer.parseInt(args.getOrDefault("owners", "1000"));
        int perOwner = Integer.parseInt(args.getOrDefault("devices-per-owner", "1"));
        long mosquittoPid = Long.parseLong(args.getOrDefault("mosquitto-pid", "0"));

        say("machine: %d cores, %s, JDK %s; load average %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.version"),
                loadAverage());
        say("settings: pack %d, duration %d s (+%d s warm-up) per throughput phase, latency %d readings/s for %d s (+%d s),"
                        + " %d owners x %d devices, %d publishers x %d in flight, max backlog %d readings, gateway %s",
                pack, duration, warmup, rate, latencyDuration, latencyWarmup, owners, perOwner, publishers, inflight,
                maxBacklog, gatewayProperties.isEmpty() ? "defaults" : gatewayProperties);

        if (!deviceUrl.equals(mqttUrl) && args.containsKey("tls-ca")) {
            // --tls: the gateway reads over TLS like the devices; only the naive baseline stays plaintext.
            gatewayProperties = new LinkedHashMap<>(gatewayProperties);
            gatewayProperties.putIfAbsent("vitalvault.gateway.mqtt.tls.trust-file",
                    Path.of(args.get("tls-ca")).toAbsolutePath().toString());
        }
        LocalStack.Options options = new LocalStack.Options(repo, data, Optional.empty(), "postgres", "",
                Optional.of(deviceUrl), Optional.empty(), Optional.empty(), 0, 0, freePort(), freePort(),
                gatewayProperties);
        say("starting PostgreSQL (embedded, fsync on), vault-service and sensor-gateway against %s%s …", deviceUrl,
                deviceUrl.equals(mqttUrl) ? "" : " (TLS; the naive baseline on plaintext " + mqttUrl + ")");
        long t = System.nanoTime();
        LocalStack started = LocalStack.start(options);
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stopStack = () -> {
            if (closed.compareAndSet(false, true)) {
                started.close();
            }
        };
        LocalStack stack = started;
        Runtime.getRuntime().addShutdownHook(new Thread(stopStack, "bench-stack-stop"));
        try {
            say("stack up in %.1f s: vault %s, gateway %s, PostgreSQL %s (%s); logs in %s", secondsSince(t),
                    stack.vaultUrl(), stack.gatewayUrl(), stack.jdbcUrl(), postgresSettings(stack.jdbcUrl()),
                    data.resolve("logs"));
            long gatewayPid = childPid("sensor-gateway");
            long vaultPid = childPid("vault-service");
            CpuSampler cpu = new CpuSampler(gatewayPid, vaultPid, mosquittoPid, data.resolve("postgres").toString());

            t = System.nanoTime();
            devices = register(new VaultClient(stack.vaultUrl()), owners, perOwner);
            deviceTimes = new long[devices.size()];
            say("registered %d owners and paired %d devices through the vault's REST API in %.1f s", owners,
                    devices.size(), secondsSince(t));
            UUID floodDevice = null;
            if (args.containsKey("flood")) {
                floodDevice = floodDevice(new VaultClient(stack.vaultUrl()));
            }

            checkpoint(stack.jdbcUrl());
            // Scraping the gateway's /q/metrics 4 times a second costs CPU in the gateway (~8% of
            // its JFR samples under full load) and in this process: it runs through the baseline
            // phase too (the gateway then idle), so both phases pay the same measurement overhead.
            GatewayWatcher watcher = new GatewayWatcher(stack.gatewayManagementUrl(), 250);
            watcher.start();
            Phase baseline = null;
            if (!args.containsKey("skip-baseline")) {
                baseline = baseline(stack.jdbcUrl(), cpu);
            }
            watcher.resetHeapMax();
            Phase gateway = gatewayThroughput(watcher, cpu, gatewayPid);
            ReceiptLatency.Result latency = null;
            Flood flood = null;
            if (!args.containsKey("skip-latency")) {
                latency = latencyPhase(watcher, cpu, null);
            }
            if (floodDevice != null) {
                flood = new Flood(floodReadingsPerSecond(gatewayProperties));
                flood.latency = latencyPhase(watcher, cpu, floodDevice, flood);
            }
            double heapMb = watcher.heapMaxBytes() / (1024d * 1024d);
            GatewayWatcher.Snapshot end = watcher.now();
            watcher.close();

            say("— summary —");
            if (baseline != null) {
                say("baseline (naive, plaintext row per reading): %,.0f readings/s (%.1f messages per commit, %.1f ms per"
                        + " executeBatch + commit); %s", baseline.rate(), baseline.messagesPerCommit(), baseline.msPerCommit(),
                        baseline.cpu());
            }
            say("gateway: %,.0f readings/s (%,.0f messages/s, %.1f messages per commit, %.1f ms per commit); %s",
                    gateway.rate(), gateway.messageRate(), gateway.messagesPerCommit(), gateway.msPerCommit(), gateway.cpu());
            if (latency != null) {
                say("latency at %,d readings/s: %s", rate, latency.hasLatency()
                        ? String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d messages (%,d receipts, %,d messages"
                                + " without a receipt)", latency.p50Millis(), latency.p99Millis(), latency.maxMillis(),
                        latency.measured(), latency.receipts(), latency.pending())
                        : "not measured: " + latency.receipts() + " receipts arrived (does the gateway publish receipts yet?)");
            }
            if (flood != null) {
                ReceiptLatency.Result f = flood.latency;
                say("latency at %,d readings/s beside one device flooding %,d readings/s: %s; the flooding device: %s", rate,
                        flood.readingsPerSecond, f.hasLatency()
                                ? String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d messages", f.p50Millis(),
                                f.p99Millis(), f.maxMillis(), f.measured())
                                : "not measured", flood.describe());
            }
                        say("gateway heap: max %.0f MB used (sampled every 250 ms), live data after GC %.0f MB; rejected %s",
                    heapMb, end.liveDataBytes() / 1048576d, end.rejectedByReason().isEmpty() ? "none" : end.rejectedByReason());
            for (String warning : warnings) {
                say("WARNING: %s", warning);
            }
            double ratio = baseline == null || baseline.rate() == 0 ? Double.NaN : gateway.rate() / baseline.rate();
            String result = String.format(Locale.ROOT,
                    "RESULT ingest readings_per_s=%.0f p50_ms=%s p99_ms=%s gateway_heap_mb=%.0f baseline_readings_per_s=%s ratio=%s",
                    gateway.rate(), latency == null || !latency.hasLatency() ? "na" : fmt1(latency.p50Millis()),
                    latency == null || !latency.hasLatency() ? "na" : fmt1(latency.p99Millis()), heapMb,
                    baseline == null ? "na" : String.format(Locale.ROOT, "%.0f", baseline.rate()),
                    Double.isNaN(ratio) ? "na" : String.format(Locale.ROOT, "%.2f", ratio))
                    + (flood == null ? "" : String.format(Locale.ROOT, " flood_p99_ms=%s flood_refused=%d flood_published=%d",
                    flood.latency.hasLatency() ? fmt1(flood.latency.p99Millis()) : "na", flood.refused(), flood.published));
            say("stopping the stack …");
            stopStack.run();
            System.out.println(result);
            return 0;
        } finally {
            stopStack.run();
        }
    }

    /** What one throughput phase measured. */
    private record Phase(double rate, double messageRate, double messagesPerCommit, double msPerCommit, String cpu) {
    }

    private Phase baseline(String jdbcUrl, CpuSampler cpu) throws Exception {
        int batch = Integer.parseInt(args.getOrDefault("baseline-batch", "500"));
        int linger = Integer.parseInt(args.getOrDefault("baseline-linger-ms", "5"));
        say("[baseline] naive pipeline: 1 subscriber on bench-naive/+, Jackson, JDBC batch of one plaintext row per"
                + " reading, commit every %d messages or %d ms, ack after commit", batch, linger);
        String params = args.get("baseline-jdbc-params");
        String url = params == null ? jdbcUrl : jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + params;
        if (params != null) {
            say("[baseline] JDBC URL %s", url);
        }
        NaivePipeline naive = new NaivePipeline(url, "postgres", "", "bench-naive/", batch, linger, 2000);
        naive.start(mqttUrl, "bench-naive", 1000);
        LoadGenerator load = new LoadGenerator(mqttUrl, "bench-naive/", devices, publishers, pack, inflight, null,
                deviceTimes);
        try {
            load.connect("bench-pub-naive");
            long[] at = new long[4];
            Window w = flatOut("baseline", load, naive::committedReadings, cpu, new WindowHooks() {
                @Override
                public long start() {
                    at[0] = naive.committedMessages();
                    at[1] = naive.commits();
                    at[2] = naive.commitNanos();
                    return naive.committedReadings();
                }

                @Override
                public long end() {
                    at[0] = naive.committedMessages() - at[0];
                    at[1] = naive.commits() - at[1];
                    at[2] = naive.commitNanos() - at[2];
                    return naive.committedReadings();
                }
            });
            long published = drain("baseline", load, naive::committedReadings);
            long rows = naive.rowCount();
            say("[baseline] published %,d readings (broker-acknowledged), committed %,d, rows in bench_naive %,d%s",
                    published, naive.committedReadings(), rows, naive.failure() == null ? "" : "; FAILED: " + naive.failure());
            naive.dropTable();
            say("[baseline] bench_naive dropped and PostgreSQL checkpointed before the next phase");
            return new Phase(w.rate(), w.rate() / pack, (double) at[0] / Math.max(1, at[1]),
                    at[1] == 0 ? Double.NaN : at[2] / 1e6 / at[1], w.cpu());
        } finally {
            load.close();
            naive.close();
        }
    }

    /** Fails with a clear message when the gateway process has died. */
    private static void checkAlive(long pid, Path data) {
        if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("the sensor-gateway process (pid " + pid + ") has died; see "
                    + data.resolve("logs/sensor-gateway.log"));
        }
    }

    private Phase gatewayThroughput(GatewayWatcher watcher, CpuSampler cpu, long gatewayPid) throws Exception {
        say("[gateway] the same load on readings/{deviceId}: sensor-gateway decodes, validates, seals per owner,"
                + " group-commits and acks");
        GatewayWatcher.Snapshot base = watcher.now();
        LoadGenerator load = new LoadGenerator(deviceUrl, Topics.READINGS_PREFIX, devices, publishers, pack, inflight, null,
                deviceTimes);
        GatewayWatcher.Snapshot[] window = new GatewayWatcher.Snapshot[2];
        try {
            load.connect("bench-pub-gw");
            String jfr = args.get("jfr");
            // The load generator reads this before every publish: a field read, no process check.
            Window w = flatOut("gateway", load, () -> (long) (watcher.last().consumed() - base.consumed()), cpu,
                    new WindowHooks() {
                        @Override
                        public long start() throws Exception {
                            if (jfr != null) {
                                jcmd(gatewayPid, "JFR.start", "name=ingestbench", "settings=profile",
                                        "duration=" + duration + "s", "filename=" + Path.of(jfr).toAbsolutePath());
                            }
                            window[0] = watcher.now();
                            return (long) (window[0].stored() - base.stored());
                        }

                        @Override
                        public long end() throws Exception {
                            window[1] = watcher.now();
                            return (long) (window[1].stored() - base.stored());
                        }
                    }, () -> {
                        checkAlive(gatewayPid, dataDir);
                        GatewayWatcher.Snapshot s = watcher.last();
                        return String.format(Locale.ROOT, "; gateway queue %.0f, unacknowledged %.0f, heap %.0f MB,"
                                        + " receipts not sent %,.0f", s.queued(), s.unacknowledged(),
                                s.heapUsedBytes() / 1048576d, s.receiptsNotSent() - base.receiptsNotSent());
                    });
            long published = drain("gateway", load, () -> {
                checkAlive(gatewayPid, dataDir);
                return (long) (watcher.last().consumed() - base.consumed());
            });
            GatewayWatcher.Snapshot after = watcher.now();
            say("[gateway] published %,d readings (broker-acknowledged), stored %,d, rejected %,.0f %s; receipts sent %,.0f,"
                            + " not sent %,.0f, commits coalesced into a later receipt %,.0f",
                    published, (long) (after.stored() - base.stored()), after.rejected() - base.rejected(),
                    after.rejectedByReason().isEmpty() ? "" : after.rejectedByReason(),
                    after.receiptsSent() - base.receiptsSent(), after.receiptsNotSent() - base.receiptsNotSent(),
                    after.receiptsCoalesced() - base.receiptsCoalesced());
            double seconds = (window[1].atNanos() - window[0].atNanos()) / 1e9;
            double messages = window[1].messages() - window[0].messages();
            double commits = window[1].commits() - window[0].commits();
            double commitSeconds = window[1].commitSeconds() - window[0].commitSeconds();
            if (jfr != null) {
                say("[gateway] JFR recording of the measured window: %s (summary: java -cp … %s %s)", jfr,
                        JfrSummary.class.getName(), jfr);
            }
            return new Phase(w.rate(), messages / seconds, messages / Math.max(1, commits),
                    commits == 0 ? Double.NaN : commitSeconds * 1000 / commits, w.cpu());
        } finally {
            load.close();
        }
    }

    private ReceiptLatency.Result latencyPhase(GatewayWatcher watcher, CpuSampler cpu, UUID floodDevice) throws Exception {
        return latencyPhase(watcher, cpu, floodDevice, null);
    }

    /** The latency phase; with {@code flood}, one more device publishes {@code flood.readingsPerSecond} beside it. */
    private ReceiptLatency.Result latencyPhase(GatewayWatcher watcher, CpuSampler cpu, UUID floodDevice, Flood flood)
            throws Exception {
        String label = flood == null ? "latency" : "flood";
        say("[%s] %,d readings/s (packs of %d) for %d s after %d s, publish → commit from receipts/{deviceId}%s",
                label, rate, pack, latencyDuration, latencyWarmup, flood == null ? ""
                        : String.format(Locale.ROOT, "; device %s floods %,d readings/s beside them", floodDevice,
                        flood.readingsPerSecond));
        ReceiptLatency receipts = new ReceiptLatency();
        receipts.start(deviceUrl, "bench-receipts" + (flood == null ? "" : "-flood"));
        LoadGenerator load = new LoadGenerator(deviceUrl, Topics.READINGS_PREFIX, devices, publishers, pack, inflight, receipts,
                deviceTimes);
        LoadGenerator flooder = null;
        if (flood != null) {
            receipts.watch(floodDevice);
            flooder = new LoadGenerator(deviceUrl, Topics.READINGS_PREFIX, List.of(floodDevice), 1, pack, inflight, null,
                    new long[1]).repeatDeviceTimes();
        }
        try {
            load.connect("bench-pub-" + (flood == null ? "lat" : "quiet"));
            if (flooder != null) {
                flooder.connect("bench-pub-flood");
            }
            long started = System.nanoTime();
            long from = started + TimeUnit.SECONDS.toNanos(latencyWarmup);
            long until = from + TimeUnit.SECONDS.toNanos(latencyDuration);
            receipts.measureBetween(from, until);
            load.startFixedRate(rate);
            if (flooder != null) {
                flooder.startFixedRate(flood.readingsPerSecond);
            }
            sleepUntil(from);
            GatewayWatcher.Snapshot s0 = watcher.now();
            CpuSampler.Sample c0 = cpu.sample();
            long next = from;
            while (System.nanoTime() < until) {
                next = Math.min(until, next + TimeUnit.SECONDS.toNanos(5));
                sleepUntil(next);
                ReceiptLatency.Result r = receipts.result();
                say("[%s] %2.0f s: %,d receipts, %,d messages measured so far%s%s", label, secondsSince(from), r.receipts(),
                        r.measured(), r.hasLatency() ? String.format(Locale.ROOT, ", p50 %.1f ms, p99 %.1f ms", r.p50Millis(),
                                r.p99Millis()) : "", flooder == null ? "" : String.format(Locale.ROOT,
                                "; flood published %,d messages, broker refused %,d, failed %,d", flooder.sentReadings() / pack,
                                flooder.refusedPublishes(), flooder.failedPublishes()));
            }
            GatewayWatcher.Snapshot s1 = watcher.now();
            CpuSampler.Sample c1 = cpu.sample();
            if (flooder != null) {
                flooder.stop(10_000);
            }
            load.stop(10_000);
            if (load.failedPublishes() > 0) {
                say("[%s] %,d publishes failed", label, load.failedPublishes());
            }
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (receipts.result().pending() > 0 && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            double seconds = (s1.atNanos() - s0.atNanos()) / 1e9;
            say("[%s] offered %,d readings/s, stored %,.0f readings/s over the window (%.1f messages per commit,"
                            + " %.1f ms per commit, %,.0f receipts the gateway could not send); %s", label, rate,
                    (s1.stored() - s0.stored()) / seconds, (s1.messages() - s0.messages()) / Math.max(1, s1.commits() - s0.commits()),
                    (s1.commitSeconds() - s0.commitSeconds()) * 1000 / Math.max(1, s1.commits() - s0.commits()),
                    s1.receiptsNotSent() - s0.receiptsNotSent(), CpuSampler.describe(c0, c1));
            ReceiptLatency.Result r = receipts.result();
            double notSent = s1.receiptsNotSent() - s0.receiptsNotSent();
            if (notSent > 0.01 * (s1.messages() - s0.messages())) {
                warnings.add(String.format(Locale.ROOT, label + ": the gateway could not send %,.0f receipts in the window;"
                        + " a message whose receipt was lost is timed to its device's next receipt, so the latency is"
                        + " overstated", notSent));
                say("[%s] WARNING: %s", label, warnings.get(warnings.size() - 1));
            }
            double elsewhere = CpuSampler.elsewhere(c0, c1);
            if (elsewhere > 0.15) {
                warnings.add(String.format(Locale.ROOT, label + " window: %.2f cores used by other processes on this"
                        + " machine", elsewhere));
            }
            if (r.malformedReceipts() > 0 || r.rejectedRecords() > 0) {
                say("[%s] receipts: %,d unreadable, %,d rejected records reported", label, r.malformedReceipts(),
                        r.rejectedRecords());
            }
            if (flood != null) {
                flood.published = flooder.sentReadings() / pack;
                flood.brokerRefused = flooder.refusedPublishes();
                flood.failed = flooder.failedPublishes();
                flood.receipts = receipts.watchedResult();
                say("[flood] the flooding device: %s", flood.describe());
            }
            return r;
        } finally {
            load.close();
            if (flooder != null) {
                flooder.close();
            }
            receipts.close();
        }
    }

    /** What {@code --flood} measured of its flooding device. */
    private final class Flood {
        final int readingsPerSecond;
        ReceiptLatency.Result latency;
        long published;
        long brokerRefused;
        long failed;
        ReceiptLatency.Watched receipts;

        Flood(int readingsPerSecond) {
            this.readingsPerSecond = readingsPerSecond;
        }

        /**
         * Messages refused: by the broker (PUBACK 0x80+) and by the gateway (its receipts' rejected
         * records; a message rejected whole counts as one record there).
         */
        long refused() {
            return brokerRefused + (receipts == null ? 0 : receipts.rejected());
        }

        String describe() {
            return String.format(Locale.ROOT, "%,d messages published, %,d refused by the broker, %,d failed; its receipts:"
                            + " %,d, readings stored %,d, records rejected %,d %s", published, brokerRefused, failed,
                    receipts == null ? 0 : receipts.receipts(), receipts == null ? 0 : receipts.stored(),
                    receipts == null ? 0 : receipts.rejected(), receipts == null ? "" : receipts.listedReasons());
        }
    }

    /** 50 times a device's readings quota as the gateway is configured (its default when not set). */
    private int floodReadingsPerSecond(Map<String, String> gatewayProperties) {
        int quota = Integer.parseInt(gatewayProperties.getOrDefault("vitalvault.gateway.limits.device-readings-per-second",
                "200"));
        if (quota <= 0) {
            say("[flood] the gateway's device quota is off (0); flooding at 50 x 200 readings/s");
            quota = 200;
        }
        return 50 * quota;
    }

    /** One more owner with one device, paired like the others, that only --flood publishes for. */
    private UUID floodDevice(VaultClient vault) throws Exception {
        String token = vault.devToken("bench-flood-owner", "owner");
        UUID owner = vault.registerOrFind(token);
        UUID device = vault.pair(token, owner, "bench flooding strap").deviceId();
        say("[flood] paired the flooding device %s", device);
        return device;
    }

    /** Called at the start and the end of a measured window; each returns the consumer's count then. */
    private interface WindowHooks {
        long start() throws Exception;

        long end() throws Exception;
    }

    private record Window(double rate, String cpu) {
    }

    private interface Count {
        long get() throws Exception;
    }

    /** Warm-up, then the measured window, with a progress line every 5 s; leaves the load running. */
    private Window flatOut(String label, LoadGenerator load, Count consumed, CpuSampler cpu, WindowHooks hooks)
            throws Exception {
        return flatOut(label, load, consumed, cpu, hooks, () -> "");
    }

    private Window flatOut(String label, LoadGenerator load, Count consumed, CpuSampler cpu, WindowHooks hooks,
                           java.util.function.Supplier<String> extra) throws Exception {
        load.startFlatOut(() -> {
            try {
                return consumed.get();
            } catch (Exception e) {
                return 0;
            }
        }, maxBacklog);
        long started = System.nanoTime();
        long windowStart = started + TimeUnit.SECONDS.toNanos(warmup);
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(duration);
        long lastCount = 0;
        long lastAt = started;
        CpuSampler.Sample lastCpu = cpu.sample();
        long next = started;
        long c0 = 0;
        long w0 = 0;
        CpuSampler.Sample s0 = null;
        boolean inWindow = false;
        while (true) {
            next = Math.min(inWindow ? windowEnd : windowStart, next + TimeUnit.SECONDS.toNanos(5));
            sleepUntil(next);
            long now = System.nanoTime();
            long count = consumed.get();
            CpuSampler.Sample cpuNow = cpu.sample();
            say("[%s] %3.0f s%s: %,9.0f readings/s (last %.0f s), published %,d, backlog %,d; %s%s", label,
                    (now - started) / 1e9, inWindow ? "" : " warm-up", (count - lastCount) / ((now - lastAt) / 1e9),
                    (now - lastAt) / 1e9, load.sentReadings(), Math.max(0, load.sentReadings() - count),
                    CpuSampler.machine(lastCpu, cpuNow), extra.get());
            lastCpu = cpuNow;
            lastCount = count;
            lastAt = now;
            if (!inWindow && now >= windowStart) {
                s0 = cpu.fullSample();
                c0 = hooks == null ? consumed.get() : hooks.start();
                w0 = System.nanoTime();
                inWindow = true;
            } else if (inWindow && now >= windowEnd) {
                CpuSampler.Sample s1 = cpu.fullSample();
                long c1 = hooks == null ? consumed.get() : hooks.end();
                long w1 = System.nanoTime();
                double rate = (c1 - c0) / ((w1 - w0) / 1e9);
                String cpuUse = CpuSampler.describe(s0, s1);
                say("[%s] measured window %.1f s: %,.0f readings/s; CPU: %s", label, (w1 - w0) / 1e9, rate, cpuUse);
                double elsewhere = CpuSampler.elsewhere(s0, s1);
                say("[%s] other processes alive at both ends of the window: %s", label, cpu.topOthers(s0, s1, 5));
                if (elsewhere > 0.15) {
                    warnings.add(String.format(Locale.ROOT, "%s window: %.2f cores used by other processes on this machine;"
                            + " its figure is low, run again on a quiet machine", label, elsewhere));
                    say("[%s] WARNING: %s", label, warnings.get(warnings.size() - 1));
                }
                if (load.failedPublishes() > 0) {
                    say("[%s] %,d publishes failed", label, load.failedPublishes());
                }
                return new Window(rate, cpuUse);
            }
        }
    }

    /** Stops the load and waits until the consumer has taken everything the broker acknowledged. */
    private long drain(String label, LoadGenerator load, Count consumed) throws Exception {
        load.stop(30_000);
        long published = load.ackedReadings();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long c = consumed.get();
            if (c >= published) {
                return published;
            }
            if (c != last) {
                last = c;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(10)) {
                break;
            }
            Thread.sleep(250);
        }
        say("[%s] WARNING: consumer took %,d of %,d published readings", label, consumed.get(), published);
        return published;
    }

    private List<UUID> register(VaultClient vault, int owners, int perOwner) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<UUID>>> futures = new ArrayList<>();
            for (int i = 0; i < owners; i++) {
                String subject = "bench-owner-" + (i + 1);
                futures.add(pool.submit(() -> {
                    String token = vault.devToken(subject, "owner");
                    UUID owner = vault.registerOrFind(token);
                    List<UUID> ids = new ArrayList<>();
                    for (int d = 0; d < perOwner; d++) {
                        ids.add(vault.pair(token, owner, "bench strap " + (d + 1)).deviceId());
                    }
                    return ids;
                }));
            }
            List<UUID> all = new ArrayList<>();
            for (Future<List<UUID>> f : futures) {
                all.addAll(f.get());
            }
            // Interleave owners over the publishers' round robin.
            Collections.shuffle(all, new java.util.Random(42));
            return List.copyOf(all);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void checkpoint(String jdbcUrl) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }

    private static String postgresSettings(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            StringBuilder b = new StringBuilder();
            for (String setting : List.of("fsync", "synchronous_commit", "server_version")) {
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

    private static void jcmd(long pid, String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(String.valueOf(pid));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim().replace('\n', ' ');
            p.waitFor(30, TimeUnit.SECONDS);
            say("jcmd %s: %s", String.join(" ", command), out);
        } catch (IOException | InterruptedException e) {
            say("jcmd failed: %s", e);
        }
    }

    private static long childPid(String module) {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(module + "/target/quarkus-app")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }



    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 1_000_000_000L));
        }
    }


    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
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
