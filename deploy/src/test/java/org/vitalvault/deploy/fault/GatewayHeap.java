package org.vitalvault.deploy.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Samples the gateway's used heap from its metrics endpoint, {@code jvm_memory_used_bytes} summed
 * over the pools with {@code area="heap"}, every {@value #PERIOD_MILLIS} ms, so a test can read the
 * largest value seen in a window. A sample that cannot be read (the gateway restarting) is skipped.
 */
final class GatewayHeap implements AutoCloseable {

    static final long PERIOD_MILLIS = 250;

    private record Sample(long nanos, long bytes) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    GatewayHeap(String managementUrl) {
        this.metrics = URI.create(managementUrl + "/q/metrics");
        this.thread = new Thread(this::run, "gateway-heap");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopped) {
            try {
                long bytes = read();
                if (bytes > 0) {
                    samples.add(new Sample(System.nanoTime(), bytes));
                }
            } catch (Exception unreadable) {
                // restarting or busy: no sample this time
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long read() throws Exception {
        String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The largest used heap sampled between the two marks, in bytes (0 if none was read). */
    long max(long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.nanos() >= fromNanos && s.nanos() < toNanos)
                .mapToLong(Sample::bytes).max().orElse(0);
    }

    /** How many samples were read between the two marks. */
    long count(long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.nanos() >= fromNanos && s.nanos() < toNanos).count();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
