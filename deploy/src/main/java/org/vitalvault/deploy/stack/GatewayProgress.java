package org.vitalvault.deploy.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Reads the gateway's counters from its Prometheus endpoint (/q/metrics on its management port). */
public final class GatewayProgress {

    /** Totals since the gateway started. */
    public record Snapshot(double readingsStored, double messagesCommitted, Map<String, Double> rejectedByReason) {
        public double rejected() {
            return rejectedByReason.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String metricsUrl;

    /** @param managementUrl the gateway's management interface ({@link LocalStack#gatewayManagementUrl()}) */
    public GatewayProgress(String managementUrl) {
        this.metricsUrl = managementUrl + "/q/metrics";
    }

    public Snapshot read() throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double stored = 0;
        double messages = 0;
        Map<String, Double> rejected = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("vitalvault_gateway_readings_stored_total ")) {
                stored = value(line);
            } else if (line.startsWith("vitalvault_gateway_messages_committed_total ")) {
                messages = value(line);
            } else if (line.startsWith("vitalvault_gateway_records_rejected_total{")) {
                int at = line.indexOf("reason=\"") + 8;
                rejected.put(line.substring(at, line.indexOf('"', at)), value(line));
            }
        }
        return new Snapshot(stored, messages, rejected);
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
