package org.vitalvault.policy.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.vitalvault.metric.Metric;
import org.vitalvault.metric.MetricCatalogue;

/**
 * Argument checks shared by the policy value types, so every message has the same shape: it starts
 * with the field's name and, where the values are a closed set, lists the allowed ones. The REST
 * layer turns these {@link IllegalArgumentException}s into 400 problems, so a message never
 * contains a health value, a key or an owner id.
 *
 * <p>Not API: other modules use the value types, not this class.
 */
public final class Checks {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    private Checks() {
    }

    /** The metric catalogue every grant, request and query is checked against. */
    public static MetricCatalogue catalogue() {
        return CATALOGUE;
    }

    /** {@code value}, or an exception saying {@code field} must be given. */
    public static <T> T given(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be given");
        }
        return value;
    }

    /** An enum value, or an exception naming the allowed values. */
    public static <E extends Enum<E>> E oneOf(String field, E value, Class<E> type) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be one of " + allowed(type));
        }
        return value;
    }

    /** An immutable, ordinal-ordered, non-empty copy; the message lists the allowed values. */
    public static <E extends Enum<E>> Set<E> nonEmptyEnumSet(String field, Collection<E> values, Class<E> type) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(field + " must name at least one of " + allowed(type));
        }
        return enumSet(field, values, type);
    }

    /** An immutable, ordinal-ordered copy (empty allowed; {@code null} reads as empty). */
    public static <E extends Enum<E>> Set<E> enumSet(String field, Collection<E> values, Class<E> type) {
        EnumSet<E> copy = EnumSet.noneOf(type);
        if (values != null) {
            for (E v : values) {
                copy.add(oneOf(field, v, type));
            }
        }
        return Collections.unmodifiableSet(copy);
    }

    /** The allowed names of an enum, comma-separated, in declaration order. */
    public static <E extends Enum<E>> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** An immutable, sorted, non-empty copy of metric codes, each one in the catalogue. */
    public static Set<String> metricCodes(String field, Collection<String> codes) {
        if (codes == null || codes.isEmpty()) {
            throw new IllegalArgumentException(field + " must name at least one metric of the catalogue: " + knownMetrics());
        }
        TreeSet<String> copy = new TreeSet<>();
        for (String code : codes) {
            metric(field, code);
            copy.add(code);
        }
        return Collections.unmodifiableSortedSet(copy);
    }

    /** The catalogue metric with this code, or an exception naming the known codes. */
    public static Metric metric(String field, String code) {
        if (code == null) {
            throw new IllegalArgumentException(field + " must name a metric of the catalogue: " + knownMetrics());
        }
        return CATALOGUE.byCode(code).orElseThrow(() -> new IllegalArgumentException(
                field + ": unknown metric '" + printable(code) + "'; the catalogue has " + knownMetrics()));
    }

    /** {@code value} when it is a finite number greater than zero. */
    public static double positive(String field, double value) {
        if (!(Double.isFinite(value) && value > 0)) {
            throw new IllegalArgumentException(field + " must be a finite number greater than 0, was " + value);
        }
        return value;
    }

    private static String knownMetrics() {
        return CATALOGUE.all().stream().map(Metric::code).collect(Collectors.joining(", "));
    }

    /** Echoes user input into a message only as short, printable text. */
    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("[^\\p{Graph} ]", "?");
    }
}
