package org.vitalvault.deploy.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series names of the Micrometer meters the services register, read from their
 * source: a counter {@code a.b} is {@code a_b_total}, a timer {@code a_b_seconds_count|sum|max},
 * a gauge {@code a_b}.
 */
final class RegisteredMeters {

    private static final Pattern METER = Pattern.compile(
            "\\b(counter|timer|gauge|Counter\\.builder|FunctionCounter\\.builder|Timer\\.builder|Gauge\\.builder)"
                    + "\\(\\s*\"(vitalvault[a-z0-9_.]*)\"");

    private RegisteredMeters() {
    }

    static Set<String> prometheusNames(Path... sourceRoots) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path root : sourceRoots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = METER.matcher(Files.readString(f));
                    while (m.find()) {
                        String base = m.group(2).replace('.', '_');
                        String kind = m.group(1).toLowerCase();
                        if (kind.contains("counter")) {
                            names.add(base + "_total");
                        } else if (kind.contains("timer")) {
                            names.add(base + "_seconds_count");
                            names.add(base + "_seconds_sum");
                            names.add(base + "_seconds_max");
                        } else {
                            names.add(base);
                        }
                    }
                }
            }
        }
        return names;
    }
}
