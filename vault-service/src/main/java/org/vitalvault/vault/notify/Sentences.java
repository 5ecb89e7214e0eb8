package org.vitalvault.vault.notify;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.vitalvault.metric.MetricCatalogue;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.Purpose;

/**
 * The wording of every notification the vault itself writes, in one place so it can be read (and
 * checked for what it must never say: a health value) at a glance. Short, plain sentences; metrics by
 * their catalogue name, dates as UTC calendar days.
 */
public final class Sentences {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private Sentences() {
    }

    /** "You allowed Acme Lab to use your heart rate for healthcare research until 2027-03-01." */
    public static String consentGiven(String audience, Collection<String> metrics, Collection<Purpose> purposes, Instant until) {
        return "You allowed " + audience + " to use your " + metrics(metrics) + " for " + purposes(purposes)
                + " until " + day(until) + ".";
    }

    /** "You changed your consent for Acme Lab: your heart rate for healthcare research until 2027-03-01." */
    public static String consentChanged(String audience, Collection<String> metrics, Collection<Purpose> purposes,
                                        Instant until) {
        return "You changed your consent for " + audience + ": your " + metrics(metrics) + " for " + purposes(purposes)
                + " until " + day(until) + ".";
    }

    /** "You withdrew your consent for Acme Lab to use your heart rate." */
    public static String consentWithdrawn(String audience, Collection<String> metrics) {
        return "You withdrew your consent for " + audience + " to use your " + metrics(metrics) + ".";
    }

    /** "You joined the co-op Heart Study: it may use your heart rate until 2027-03-01." */
    public static String coopJoined(String coop, Collection<String> metrics, Instant until) {
        return "You joined the co-op " + coop + ": it may use your " + metrics(metrics) + " until " + day(until) + ".";
    }

    /** "You left the co-op Heart Study: it no longer uses your data." */
    public static String coopLeft(String coop) {
        return "You left the co-op " + coop + ": it no longer uses your data.";
    }

    /** "Acme Lab used your heart rate (daily aggregates) for healthcare research, at a privacy cost of ε 0.1." */
    public static String dataUsed(String organisation, String metric, Granularity granularity, Purpose purpose, double epsilon) {
        return organisation + " used your " + metric(metric) + " (" + adjective(granularity) + " aggregates) for "
                + purpose.display() + ", at a privacy cost of ε " + BigDecimal.valueOf(epsilon).stripTrailingZeros().toPlainString()
                + ".";
    }

    /** "Your key was rotated (now version 2); your data is being re-sealed under it." */
    public static String keyRotated(int version) {
        return "Your key was rotated (now version " + version + "); your data is being re-sealed under it.";
    }

    /** "Your data was exported (FHIR)." */
    public static String exported(String format) {
        return "Your data was exported (" + format + ").";
    }

    /** The audience "any approved researcher for public health". */
    public static String anyResearcherFor(Purpose purpose) {
        return "any approved researcher for " + purpose.display();
    }

    /** "heart rate", "heart rate and body temperature", "a, b and c", by catalogue name. */
    public static String metrics(Collection<String> codes) {
        return and(codes.stream().sorted().map(Sentences::metric).toList());
    }

    public static String metric(String code) {
        String display = CATALOGUE.byCode(code).map(m -> m.display()).orElse(code.replace('_', ' '));
        return display.isEmpty() ? display : display.substring(0, 1).toLowerCase(Locale.ROOT) + display.substring(1);
    }

    private static String purposes(Collection<Purpose> purposes) {
        List<String> shown = purposes.stream().sorted().map(Purpose::display).toList();
        return shown.size() <= 1 ? String.join("", shown)
                : String.join(", ", shown.subList(0, shown.size() - 1)) + " or " + shown.get(shown.size() - 1);
    }

    private static String and(List<String> items) {
        return items.size() <= 1 ? String.join("", items)
                : String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String adjective(Granularity g) {
        return switch (g) {
            case HOUR -> "hourly";
            case DAY -> "daily";
            case WEEK -> "weekly";
            case MONTH -> "monthly";
        };
    }

    private static String day(Instant t) {
        return DAY.format(t);
    }
}
