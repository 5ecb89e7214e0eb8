package org.vitalvault.vault.consent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.policy.consent.TimeWindow;
import org.vitalvault.vault.refusal.FieldErrors;

/**
 * Terms as JSON, in requests and in responses. The field names are those of
 * {@link org.vitalvault.policy.consent.Terms}, so the policy module's messages (which start with the
 * field's name) map onto the request's fields.
 *
 * <p>Defaults: {@code validity.from} is the time of the request, {@code minimumCohort} the system's
 * minimum, {@code priceTier} {@code STANDARD}. Everything else must be given.
 */
public record TermsBody(@Schema(type = SchemaType.ARRAY, implementation = Purpose.class) List<String> purposes,
                        @Schema(example = "[\"heart_rate\", \"spo2\"]") List<String> metrics,
                        @Schema(type = SchemaType.ARRAY, implementation = AggregateKind.class) List<String> kinds,
                        @Schema(implementation = Granularity.class, description = "the finest time bucket allowed")
                        String granularity,
                        WindowBody dataWindow, WindowBody validity, Integer minimumCohort,
                        @Schema(example = "1.0") Double epsilonPerLease, @Schema(example = "5.0") Double epsilonPerYear,
                        @Schema(implementation = PriceTier.class) String priceTier) {

    private static final Pattern LEADING_FIELD = Pattern.compile("^([A-Za-z]+)[: ]+(.*)$", Pattern.DOTALL);
    // What PostgreSQL's timestamptz and every client can represent; consent beyond it is not meaningful.
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");
    private static final Set<String> FIELDS = Set.of("purposes", "metrics", "kinds", "granularity", "dataWindow",
            "validity", "minimumCohort", "epsilonPerLease", "epsilonPerYear", "priceTier");

    /** The JSON of validated terms. */
    public static TermsBody of(Terms t) {
        return new TermsBody(t.purposes().stream().map(Enum::name).toList(), List.copyOf(t.metrics()),
                t.kinds().stream().map(Enum::name).toList(), t.granularity().name(), WindowBody.of(t.dataWindow()),
                WindowBody.of(t.validity()), t.minimumCohort(), t.epsilonPerLease(), t.epsilonPerYear(), t.priceTier().name());
    }

    /**
     * The policy's terms for new or amended consent at {@code now}: built through {@link Terms} (so its
     * rules apply), with a validity that has not ended, admitted by {@code system}.
     *
     * @param prefix the JSON path of this object in the request, e.g. {@code terms}
     * @return the terms, or {@code null} after adding at least one error to {@code errors}
     */
    public Terms toTerms(String prefix, Instant now, SystemPolicy system, FieldErrors errors) {
        FieldErrors mine = new FieldErrors();
        Set<Purpose> p = codes(prefix + ".purposes", purposes, Purpose::ofCode, mine);
        Set<AggregateKind> k = codes(prefix + ".kinds", kinds, AggregateKind::of, mine);
        Granularity g = code(prefix + ".granularity", granularity, Granularity::of, mine);
        PriceTier tier = priceTier == null ? PriceTier.STANDARD : code(prefix + ".priceTier", priceTier, PriceTier::of, mine);
        TimeWindow data = window(prefix + ".dataWindow", dataWindow, null, mine);
        TimeWindow valid = window(prefix + ".validity", validity, now, mine);
        if (metrics == null) {
            mine.add(prefix + ".metrics", "must be given");
        }
        if (epsilonPerLease == null) {
            mine.add(prefix + ".epsilonPerLease", "must be given");
        }
        if (epsilonPerYear == null) {
            mine.add(prefix + ".epsilonPerYear", "must be given");
        }
        if (!mine.isEmpty()) {
            errors.addAll(mine);
            return null;
        }
        try {
            Terms terms = new Terms(p, new HashSet<>(metrics), k, g, data, valid,
                    minimumCohort == null ? system.minimumCohort() : minimumCohort, epsilonPerLease, epsilonPerYear, tier);
            return system.requireAdmits(terms.requireValidityNotEndedAt(now));
        } catch (IllegalArgumentException | NullPointerException e) {
            policyError(prefix, e, errors);
            return null;
        }
    }

    /**
     * Adds the policy module's rejection as the error of the field its message names (its messages
     * start with the field's name; see {@code org.vitalvault.policy.consent}).
     */
    public static void policyError(String prefix, RuntimeException e, FieldErrors errors) {
        String message = e.getMessage() == null ? "is not valid" : e.getMessage();
        Matcher m = LEADING_FIELD.matcher(message);
        if (m.matches() && FIELDS.contains(m.group(1))) {
            errors.add(prefix + "." + m.group(1), m.group(2));
        } else {
            errors.add(prefix, message);
        }
    }

    private static <T> Set<T> codes(String field, List<String> given, Function<String, T> parse, FieldErrors errors) {
        if (given == null || given.isEmpty()) {
            errors.add(field, "must name at least one value");
            return null;
        }
        List<T> parsed = new ArrayList<>();
        for (String s : given) {
            T value = code(field, s, parse, errors);
            if (value == null) {
                return null;
            }
            parsed.add(value);
        }
        return Set.copyOf(parsed);
    }

    private static <T> T code(String field, String given, Function<String, T> parse, FieldErrors errors) {
        if (given == null) {
            errors.add(field, "must be given");
            return null;
        }
        try {
            return parse.apply(given);
        } catch (IllegalArgumentException e) {
            // The parser's message names its own noun ("granularity must be one of …"); keep the list.
            String message = e.getMessage();
            int mustBe = message.indexOf("must be");
            errors.add(field, mustBe < 0 ? message : message.substring(mustBe));
            return null;
        }
    }

    /** PostgreSQL keeps microseconds: what is signed is what is stored. */
    private static TimeWindow window(String field, WindowBody w, Instant defaultFrom, FieldErrors errors) {
        if (w == null) {
            errors.add(field, "must be given");
            return null;
        }
        Instant from = w.from() == null ? defaultFrom : w.from();
        if (from == null) {
            errors.add(field + ".from", "must be given");
        }
        if (w.until() == null) {
            errors.add(field + ".until", "must be given");
        }
        if (from == null || w.until() == null) {
            return null;
        }
        if (from.isBefore(EARLIEST) || w.until().isAfter(LATEST)) {
            errors.add(field, "must lie between " + EARLIEST + " and " + LATEST);
            return null;
        }
        return new TimeWindow(from.truncatedTo(ChronoUnit.MICROS), w.until().truncatedTo(ChronoUnit.MICROS));
    }
}
