package org.vitalvault.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the two cores go: CPU time (from /proc, Linux only) of the gateway, the vault, PostgreSQL
 * (the postmaster of our data directory and its backends), Mosquitto and this JVM (load generator;
 * the baseline pipeline's threads counted apart), plus what the machine left idle. Two samples
 * give cores used over the interval between them.
 */
final class CpuSampler {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** CPU seconds per part at one instant; {@code all} per process (pid → "name seconds") only in full samples. */
    record Sample(long atNanos, Map<String, Double> cpuSeconds, double machineBusySeconds, double machineIdleSeconds,
                  double interruptSeconds, Map<Long, Map.Entry<String, Double>> all) {
    }

    /** A sample that also records every process, so that {@link #topOthers} can name what else ran. */
    Sample fullSample() {
        Sample s = sample();
        Map<Long, Map.Entry<String, Double>> all = new LinkedHashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII);
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    all.put(Long.parseLong(name), Map.entry(comm,
                            (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND));
                } catch (IOException | RuntimeException gone) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return new Sample(s.atNanos(), s.cpuSeconds(), s.machineBusySeconds(), s.machineIdleSeconds(),
                s.interruptSeconds(), all);
    }

    /** The processes, other than ours, that used the most CPU between two full samples ("ksoftirqd/0 0.12, …"). */
    String topOthers(Sample a, Sample b, int n) {
        Set<Long> ours = new HashSet<>(List.of(gatewayPid, vaultPid, mosquittoPid, ProcessHandle.current().pid()));
        double seconds = (b.atNanos() - a.atNanos()) / 1e9;
        List<Map.Entry<String, Double>> used = new ArrayList<>();
        b.all().forEach((pid, e) -> {
            if (ours.contains(pid) || e.getKey().equals("postgres")) {
                return;
            }
            Map.Entry<String, Double> before = a.all().get(pid);
            double cores = (e.getValue() - (before == null ? 0 : before.getValue())) / seconds;
            if (cores >= 0.01) {
                used.add(Map.entry(e.getKey() + "[" + pid + "]", cores));
            }
        });
        used.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, used.size()); i++) {
            out.add(String.format("%s %.2f", used.get(i).getKey(), used.get(i).getValue()));
        }
        return out.isEmpty() ? "none >= 0.01 cores" : String.join(", ", out);
    }

    private final long gatewayPid;
    private final long vaultPid;
    private final long mosquittoPid;
    private final String postgresDataDir;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    CpuSampler(long gatewayPid, long vaultPid, long mosquittoPid, String postgresDataDir) {
        this.gatewayPid = gatewayPid;
        this.vaultPid = vaultPid;
        this.mosquittoPid = mosquittoPid;
        this.postgresDataDir = postgresDataDir;
    }

    Sample sample() {
        long at = System.nanoTime();
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("gateway", seconds(gatewayPid));
        cpu.put("mosquitto", seconds(mosquittoPid));
        cpu.put("postgres", postgresSeconds());
        double naive = naiveThreadSeconds();
        cpu.put("bench load", seconds(ProcessHandle.current().pid()) - naive);
        cpu.put("baseline pipeline", naive);
        cpu.put("vault", seconds(vaultPid));
        double busy = 0;
        double idle = 0;
        double interrupts = 0;
        try {
            // cpu  user nice system idle iowait irq softirq steal
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < f.length && i <= 8; i++) {
                double v = Long.parseLong(f[i]) / TICKS_PER_SECOND;
                if (i == 4 || i == 5) {
                    idle += v;
                } else {
                    busy += v;
                }
                if (i == 6 || i == 7) {
                    interrupts += v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no machine figures
        }
        return new Sample(at, cpu, busy, idle, interrupts, Map.of());
    }

    /** "gateway 0.93, mosquitto 0.41, …, idle 0.05" in cores over [a, b]. */
    static String describe(Sample a, Sample b) {
        double seconds = (b.atNanos() - a.atNanos()) / 1e9;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Double> e : b.cpuSeconds().entrySet()) {
            double cores = (e.getValue() - a.cpuSeconds().getOrDefault(e.getKey(), 0d)) / seconds;
            if (cores >= 0.005) {
                parts.add(String.format("%s %.2f", e.getKey(), cores));
            }
        }
        double busy = (b.machineBusySeconds() - a.machineBusySeconds()) / seconds;
        double idle = (b.machineIdleSeconds() - a.machineIdleSeconds()) / seconds;
        double interrupts = (b.interruptSeconds() - a.interruptSeconds()) / seconds;
        parts.add(String.format("irq+softirq (loopback network) %.2f", interrupts));
        parts.add(String.format("other processes %.2f", elsewhere(a, b)));
        parts.add(String.format("machine busy %.2f, idle %.2f", busy, idle));
        return String.join(", ", parts) + " (cores)";
    }

    /** "CPU busy 1.93, other processes 0.04" over [a, b]: how loaded the machine was, and by work not this run's. */
    static String machine(Sample a, Sample b) {
        double seconds = (b.atNanos() - a.atNanos()) / 1e9;
        double busy = (b.machineBusySeconds() - a.machineBusySeconds()) / seconds;
        return String.format("CPU busy %.2f, other processes %.2f", busy, elsewhere(a, b));
    }

    /**
     * Cores used over [a, b] by processes this run does not account for (other work on the machine):
     * machine busy time minus our processes minus interrupt time (loopback traffic is softirq time,
     * which Linux charges to no process).
     */
    static double elsewhere(Sample a, Sample b) {
        double seconds = (b.atNanos() - a.atNanos()) / 1e9;
        double busy = (b.machineBusySeconds() - a.machineBusySeconds()) / seconds;
        double interrupts = (b.interruptSeconds() - a.interruptSeconds()) / seconds;
        double known = 0;
        for (String part : b.cpuSeconds().keySet()) {
            known += cores(a, b, part);
        }
        return Math.max(0, busy - interrupts - known);
    }

    /** Cores used by one part over [a, b]. */
    static double cores(Sample a, Sample b, String part) {
        return (b.cpuSeconds().getOrDefault(part, 0d) - a.cpuSeconds().getOrDefault(part, 0d))
                / ((b.atNanos() - a.atNanos()) / 1e9);
    }

    private static double seconds(long pid) {
        return seconds(pid, false);
    }

    /**
     * CPU seconds of {@code pid}; with {@code reapedChildren} also those of its children that ended
     * and were waited for (a PostgreSQL backend whose connection closed: its time moves to the
     * postmaster's cutime/cstime, and counting only live processes would lose it).
     */
    private static double seconds(long pid, boolean reapedChildren) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state=0 ppid=1 … utime=11 stime=12 cutime=13 cstime=14
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (reapedChildren) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private double postgresSeconds() {
        if (postgresDataDir == null) {
            return 0;
        }
        long postmaster = -1;
        Map<Long, Long> parent = new LinkedHashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII);
                    if (!stat.contains("(postgres)")) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parent.put(pid, Long.parseLong(f[1]));
                    if (postmaster < 0) {
                        String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                        if (cmd.contains(postgresDataDir)) {
                            postmaster = pid;
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        double total = 0;
        for (Map.Entry<Long, Long> e : parent.entrySet()) {
            if (postmaster > 0 && e.getKey() == postmaster) {
                total += seconds(e.getKey(), true);
            } else if (postmaster > 0 && e.getValue() == postmaster) {
                total += seconds(e.getKey());
            }
        }
        return total;
    }

    private double naiveThreadSeconds() {
        double total = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains("bench-naive")) {
                long nanos = threads.getThreadCpuTime(t.getThreadId());
                if (nanos > 0) {
                    total += nanos / 1e9;
                }
            }
        }
        return total;
    }
}
