package org.vitalvault.metric;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The vital signs the vault accepts, read from data ({@code metrics.csv} next to this class) so a
 * new metric is a line, not code. Immutable and thread-safe.
 */
public final class MetricCatalogue {

    private static final String RESOURCE = "metrics.csv";

    private final Map<String, Metric> byCode;
    private final Map<String, Metric> bySenmlName;

    private MetricCatalogue(List<Metric> metrics) {
        Map<String, Metric> codes = new LinkedHashMap<>();
        Map<String, Metric> names = new LinkedHashMap<>();
        for (Metric m : metrics) {
            if (codes.put(m.code(), m) != null) {
                throw new IllegalArgumentException("duplicate metric code " + m.code());
            }
            for (String n : m.senmlNames()) {
                // Devices prefix names with a base name ending in ':' or '/'; the gateway finds the
                // metric after the last of them, so a catalogue name must not contain either.
                if (n.indexOf(':') >= 0 || n.indexOf('/') >= 0) {
                    throw new IllegalArgumentException("SenML name " + n + " must not contain ':' or '/'");
                }
                if (names.put(n, m) != null) {
                    throw new IllegalArgumentException("SenML name " + n + " maps to two metrics");
                }
            }
        }
        this.byCode = Collections.unmodifiableMap(codes);
        this.bySenmlName = Map.copyOf(names);
    }

    /** The catalogue shipped with the vault. */
    public static MetricCatalogue standard() {
        try (InputStream in = MetricCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("metric catalogue resource " + RESOURCE + " is missing");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metric catalogue", e);
        }
    }

    static MetricCatalogue parse(InputStream in) throws IOException {
        List<Metric> metrics = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(";", -1);
            if (f.length != 11) {
                throw new IllegalArgumentException("metrics.csv line " + lineNo + ": expected 11 fields, got " + f.length);
            }
            Map<String, Double> units = new LinkedHashMap<>();
            String canonical = null;
            for (String u : f[2].split("\\|")) {
                int eq = u.lastIndexOf('=');
                String unit = u.substring(0, eq);
                units.put(unit, Double.parseDouble(u.substring(eq + 1)));
                if (canonical == null) {
                    canonical = unit;
                }
            }
            metrics.add(new Metric(f[0], List.of(f[1].split("\\|")), units, canonical, f[3], f[4], f[5],
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                    Double.parseDouble(f[9]), Double.parseDouble(f[10])));
        }
        return new MetricCatalogue(metrics);
    }

    /** The metric with this vault code. */
    public Optional<Metric> byCode(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /** The metric a device names this way in SenML. */
    public Optional<Metric> bySenmlName(String name) {
        return Optional.ofNullable(bySenmlName.get(name));
    }

    public Collection<Metric> all() {
        return byCode.values();
    }
}
