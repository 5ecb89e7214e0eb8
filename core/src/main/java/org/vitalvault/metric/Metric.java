package org.vitalvault.metric;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One entry of the {@link MetricCatalogue}: what a vital sign is called on the wire (SenML names and
 * units), what it is called in health standards (LOINC, UCUM), which values are plausible, and the
 * bounds used when it feeds a privacy-protected aggregate.
 *
 * <p>Values are stored in the canonical unit (the first of {@code unitFactors}); a reading in
 * another accepted unit is converted by multiplying with its factor.
 *
 * @param code           the vault's stable metric code, also the plaintext index column
 * @param senmlNames     names a device may use in SenML {@code n}
 * @param unitFactors    accepted SenML units mapped to the factor that converts to the canonical unit
 * @param canonicalUnit  SenML unit the vault stores values in
 * @param ucum           UCUM code of the canonical unit (FHIR export)
 * @param loinc          LOINC code (FHIR export)
 * @param display        human name
 * @param plausibleMin   smallest value accepted at ingest, canonical unit
 * @param plausibleMax   largest value accepted at ingest, canonical unit
 * @param clampMin       lower clamp bound for aggregates
 * @param clampMax       upper clamp bound for aggregates
 * @param binWidth       histogram bin width between the clamp bounds
 */
public record Metric(String code, List<String> senmlNames, Map<String, Double> unitFactors,
                     String canonicalUnit, String ucum, String loinc, String display,
                     double plausibleMin, double plausibleMax, double clampMin, double clampMax,
                     double binWidth) {

    public Metric {
        Objects.requireNonNull(code, "code");
        senmlNames = List.copyOf(senmlNames);
        unitFactors = Map.copyOf(unitFactors);
        if (senmlNames.isEmpty()) {
            throw new IllegalArgumentException("metric " + code + " needs at least one SenML name");
        }
        if (!unitFactors.containsKey(canonicalUnit)) {
            throw new IllegalArgumentException("metric " + code + ": canonical unit must be accepted");
        }
        if (!(plausibleMin < plausibleMax) || !(clampMin < clampMax) || !(binWidth > 0)) {
            throw new IllegalArgumentException(
                    "metric " + code + ": need plausibleMin < plausibleMax, clampMin < clampMax, binWidth > 0");
        }
    }

    /** The value converted to the canonical unit, or empty when the unit is not accepted. */
    public OptionalDouble toCanonical(String unit, double value) {
        Double factor = unitFactors.get(unit);
        return factor == null ? OptionalDouble.empty() : OptionalDouble.of(value * factor);
    }

    /** True when a canonical value lies inside the plausible range (bounds included). */
    public boolean isPlausible(double canonicalValue) {
        return canonicalValue >= plausibleMin && canonicalValue <= plausibleMax;
    }
}
