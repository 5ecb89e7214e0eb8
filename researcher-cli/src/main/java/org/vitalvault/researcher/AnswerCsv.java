package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A query answer as CSV (RFC 4180, {@code \n} line ends) in long form: one row per released number,
 * so any mix of kinds, quantiles and histogram bins has the same columns and loads as is into R,
 * pandas or a spreadsheet:
 *
 * <pre>
 * start,suppressed,measure,value,noise_scale,low95,high95
 * 2026-11-01T00:00:00Z,false,contributors,39,2.83,33.5,44.5
 * 2026-11-01T00:00:00Z,false,mean,71.2,0.41,70.4,72
 * 2026-11-01T00:00:00Z,false,p90,84,1.2,81.6,86.4
 * 2026-11-01T00:00:00Z,false,bin_60_70,12,2.83,6.5,17.5
 * 2026-11-02T00:00:00Z,true,,,,,
 * </pre>
 *
 * Measures: {@code contributors} (the noisy owner count), {@code mean}, {@code sum}, {@code stddev},
 * {@code p}<i>100·probability</i> per quantile ({@code p50}, {@code p97.5}), {@code bin_}<i>low</i>{@code _}<i>high</i>
 * per histogram bin (a bin held back has empty numbers). A bucket that released nothing is one row
 * with an empty measure. Numbers are written in plain decimal notation, never with an exponent.
 */
public final class AnswerCsv {

    /** The header line. */
    public static final String HEADER = "start,suppressed,measure,value,noise_scale,low95,high95";

    private static final List<String> SCALARS = List.of("contributors", "mean", "sum", "stddev");

    private AnswerCsv() {
    }

    /** The CSV of an answer's {@code buckets}, header first, each line ending in {@code \n}. */
    public static String of(JsonNode answer) {
        JsonNode buckets = answer.path("buckets");
        if (!buckets.isArray()) {
            throw new IllegalArgumentException("not a query answer: no \"buckets\" list");
        }
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (JsonNode b : buckets) {
            String start = b.path("start").asText();
            String suppressed = String.valueOf(b.path("suppressed").asBoolean(false));
            List<Map.Entry<String, JsonNode>> rows = new ArrayList<>();
            for (String scalar : SCALARS) {
                if (b.hasNonNull(scalar)) {
                    rows.add(Map.entry(scalar, b.get(scalar)));
                }
            }
            for (JsonNode q : b.path("quantiles")) {
                rows.add(Map.entry("p" + number(q.path("probability").decimalValue().movePointRight(2)), q.path("value")));
            }
            for (JsonNode bin : b.path("histogram")) {
                rows.add(Map.entry("bin_" + number(bin.path("low").decimalValue()) + "_" + number(bin.path("high").decimalValue()),
                        bin.path("count")));
            }
            if (rows.isEmpty()) {
                line(out, start, suppressed, "", null);
            }
            for (Map.Entry<String, JsonNode> r : rows) {
                line(out, start, suppressed, r.getKey(), r.getValue());
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String start, String suppressed, String measure, JsonNode v) {
        out.append(field(start)).append(',').append(suppressed).append(',').append(field(measure));
        for (String part : List.of("value", "noiseScale", "low95", "high95")) {
            out.append(',');
            if (v != null && v.path(part).isNumber()) {
                out.append(number(v.get(part).decimalValue()));
            }
        }
        out.append('\n');
    }

    /** Plain decimal, no exponent, no trailing zeros: 72, 0.0001, 97.5. */
    static String number(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.signum() == 0 ? BigDecimal.ZERO : s).toPlainString();
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
