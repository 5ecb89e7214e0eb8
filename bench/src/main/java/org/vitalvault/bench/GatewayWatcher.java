package org.vitalvault.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scrapes the gateway's Prometheus endpoint ({@code /q/metrics}, management port) every {@code period}:
 * the readings committed ({@code vitalvault_gateway_readings_stored_total}), rejections, commit timings, and the
 * heap in use ({@code jvm_memory_used_bytes{area="heap"}}, summed over the pools), keeping the
 * highest heap seen since the last {@link #resetHeapMax()}.
 */
final class GatewayWatcher implements AutoCloseable {

    /** One scrape. Counters are totals since the gateway started. */
    record Snapshot(long atNanos, double stored, double messages, double rejected, Map<String, Double> rejectedByReason,
                    double commits, double commitSeconds, double heapUsedBytes, double liveDataBytes, double queued,
                    double receiptsNotSent, double receiptsSent, double receiptsCoalesced, double unacknowledged) {
        static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0);

        double consumed() {
            return stored + rejected;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private final long periodMillis;
    private final Thread thread;
    private volatile Snapshot last = Snapshot.EMPTY;
    private volatile double heapMax;
    private volatile boolean running = true;
    private volatile int failures;

    GatewayWatcher(String managementUrl, long periodMillis) {
        this.metrics = URI.create(managementUrl + "/q/metrics");
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::loop, "bench-gateway-watcher");
        this.thread.setDaemon(true);
    }

    void start() throws IOException, InterruptedException {
        last = scrape();
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(periodMillis);
                Snapshot s = scrape();
                last = s;
                if (s.heapUsedBytes() > heapMax) {
                    heapMax = s.heapUsedBytes();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                failures++;
            }
        }
    }

    /** The latest scrape (at most {@code period} old). */
    Snapshot last() {
        return last;
    }

    /** A fresh scrape, now. */
    Snapshot now() throws IOException, InterruptedException {
        Snapshot s = scrape();
        if (s.heapUsedBytes() > heapMax) {
            heapMax = s.heapUsedBytes();
        }
        return s;
    }

    double heapMaxBytes() {
        return heapMax;
    }

    void resetHeapMax() {
        heapMax = 0;
    }

    int failures() {
        return failures;
    }

    private Snapshot scrape() throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long at = System.nanoTime();
        double stored = 0;
        double messages = 0;
        double commits = 0;
        double commitSeconds = 0;
        double heap = 0;
        double live = 0;
        double queued = 0;
        double receiptsNotSent = 0;
        double receiptsSent = 0;
        double receiptsCoalesced = 0;
        double unacknowledged = 0;
        Map<String, Double> rejected = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            if (line.startsWith("vitalvault_gateway_readings_stored_total")) {
                stored += value(line);
            } else if (line.startsWith("vitalvault_gateway_messages_committed_total")) {
                messages += value(line);
            } else if (line.startsWith("vitalvault_gateway_records_rejected_total{")) {
                int from = line.indexOf("reason=\"");
                String reason = from < 0 ? "?" : line.substring(from + 8, line.indexOf('"', from + 8));
                rejected.merge(reason, value(line), Double::sum);
            } else if (line.startsWith("vitalvault_gateway_commit_seconds_count")) {
                commits += value(line);
            } else if (line.startsWith("vitalvault_gateway_commit_seconds_sum")) {
                commitSeconds += value(line);
            } else if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += value(line);
            } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                live = value(line);
            } else if (line.startsWith("vitalvault_gateway_queued_messages")) {
                queued = value(line);
            } else if (line.startsWith("vitalvault_gateway_receipts_not_sent")) {
                receiptsNotSent += value(line);
            } else if (line.startsWith("vitalvault_gateway_receipts_sent")) {
                receiptsSent += value(line);
            } else if (line.startsWith("vitalvault_gateway_receipts_coalesced")) {
                receiptsCoalesced += value(line);
            } else if (line.startsWith("vitalvault_gateway_unacknowledged_messages")) {
                unacknowledged = value(line);
            }
        }
        double rejectedTotal = rejected.values().stream().mapToDouble(Double::doubleValue).sum();
        return new Snapshot(at, stored, messages, rejectedTotal, rejected, commits, commitSeconds, heap, live, queued, receiptsNotSent,
                receiptsSent, receiptsCoalesced, unacknowledged);
    }

    private static double value(String line) {
        // "name{labels} value" or "name{labels} value timestamp"; labels may hold spaces, the value never does.
        int close = line.lastIndexOf('}');
        String rest = (close >= 0 ? line.substring(close + 1) : line.substring(line.indexOf(' '))).trim();
        return Double.parseDouble(rest.split(" ")[0]);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
