package org.vitalvault.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}) went: per thread, per method on
 * top of the stack (self time) and per method anywhere on the stack (inclusive; a method counts once
 * per sample). {@code java -cp … org.vitalvault.bench.JfrSummary FILE [TOP] [PACKAGE-PREFIX]}.
 */
public final class JfrSummary {

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrSummary FILE.jfr [TOP=30] [INCLUSIVE-PREFIX=org.vitalvault]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String prefix = args.length > 2 ? args[2] : "org.vitalvault";
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> firstOwn = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            RecordedThread t = e.getThread("sampledThread");
            threads.merge(t == null ? "?" : threadGroup(t.getJavaName()), 1, Integer::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            boolean own = false;
            for (RecordedFrame f : frames) {
                String n = name(f.getMethod());
                if (seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
                if (!own && n.startsWith(prefix)) {
                    own = true;
                    firstOwn.merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf("%,d execution samples in %s%n", samples, args[0]);
        print("samples per thread (names with digits folded)", threads, samples, top);
        print("top of stack (self)", self, samples, top);
        print("innermost " + prefix + " frame (whose work it is)", firstOwn, samples, top);
        Map<String, Integer> ownInclusive = new HashMap<>();
        inclusive.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                ownInclusive.put(k, v);
            }
        });
        print("inclusive, " + prefix + " methods", ownInclusive, samples, top);
        print("inclusive, all methods", inclusive, samples, top);
    }

    private static String threadGroup(String name) {
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }

    private static String name(RecordedMethod m) {
        return m.getType().getName() + "." + m.getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("\n== " + title);
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(e -> System.out.printf("%6d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / samples, e.getKey()));
    }
}
