package org.vitalvault.metric;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
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
 * another accepted unit is converted by multiplying with its factor, in decimal, and rounded to one
 * significant digit more than the value as sent carried ({@link #toCanonical}), so that a stored
 * value says no more than the sensor measured and has no binary floating-point residue.
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

    /** Fewest significant digits a converted value keeps (see {@link #keptDigits}). */
    private static final int MIN_KEPT_DIGITS = 3;

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

    /**
     * The value converted to the canonical unit, or empty when the unit is not accepted.
     *
     * <p>A value in the canonical unit is returned as sent. A converted value is the exact decimal
     * product of the value as sent (its shortest decimal form) and the factor, rounded half-even to
     * {@linkplain #significantDigits significant digits of the source} + 1, at least 3
     * ({@link #keptDigits}): 5.5 mmol/L is 99.1 mg/dL (not 99.08579999999999), 154 lb is 69.85 kg
     * (not 69.85322498000001). The extra digit keeps the stored value within the source's own
     * rounding (it converts back to what was sent) without claiming more precision than the sensor
     * had (docs/decisions/021b).
     */
    public OptionalDouble toCanonical(String unit, double value) {
        Double factor = unitFactors.get(unit);
        if (factor == null) {
            return OptionalDouble.empty();
        }
        if (factor == 1.0 || value == 0.0 || !Double.isFinite(value)) {
            return OptionalDouble.of(value * factor);
        }
        BigDecimal exact = new BigDecimal(Double.toString(value)).multiply(new BigDecimal(Double.toString(factor)));
        MathContext precision = new MathContext(keptDigits(value), RoundingMode.HALF_EVEN);
        return OptionalDouble.of(exact.round(precision).doubleValue());
    }

    /**
     * Significant digits a value converted from {@code source} keeps: one more than the source
     * carried, and at least 3, because SenML JSON and CBOR cannot tell 6.0 from 6 (a glucose meter's
     * "6.0 mmol/L" would otherwise be stored as 110 mg/dL instead of 108).
     */
    static int keptDigits(double source) {
        return Math.min(Math.max(significantDigits(source) + 1, MIN_KEPT_DIGITS), 17);
    }

    /**
     * Significant digits of a value as a sensor sent it, read from its shortest decimal form: 5.5 has
     * 2, 0.05 has 1, 154 has 3. Zeros ending a whole number count (150 has 3): SenML carries no
     * precision, and a sensor reporting whole pounds means each digit. Zero has 1.
     */
    static int significantDigits(double value) {
        if (value == 0.0 || !Double.isFinite(value)) {
            return 1;
        }
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        if (decimal.scale() < 0) {
            decimal = decimal.setScale(0, RoundingMode.UNNECESSARY);
        }
        return decimal.precision();
    }

    /** True when a canonical value lies inside the plausible range (bounds included). */
    public boolean isPlausible(double canonicalValue) {
        return canonicalValue >= plausibleMin && canonicalValue <= plausibleMax;
    }
}
