package org.vitalvault.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A converted value carries the precision of the value as sent: no binary residue, no digit the
 * sensor did not measure beyond one guard digit, and it converts back to what was sent.
 */
class UnitConversionPropertiesTest {

    private static final MetricCatalogue CATALOGUE = MetricCatalogue.standard();

    /** Every (metric, non-canonical unit) pair of the standard catalogue. */
    record Conversion(Metric metric, String unit, double factor) {
    }

    @Provide
    Arbitrary<Conversion> conversions() {
        return Arbitraries.of(CATALOGUE.all().stream()
                .flatMap(m -> m.unitFactors().entrySet().stream()
                        .filter(e -> e.getValue() != 1.0)
                        .map(e -> new Conversion(m, e.getKey(), e.getValue())))
                .toList());
    }

    /** A value as a sensor writes it: up to six digits, up to four of them after the point. */
    private static double sent(int digits, int scale) {
        return BigDecimal.valueOf(digits, scale).doubleValue();
    }

    @Property(tries = 2000)
    void aConvertedValueIsTheExactProductRoundedToOneDigitMoreThanTheSourceAndAtLeastThree(
            @ForAll("conversions") Conversion c,
            @ForAll @IntRange(min = 1, max = 999_999) int digits,
            @ForAll @IntRange(min = 0, max = 4) int scale) {
        double source = sent(digits, scale);
        double converted = c.metric().toCanonical(c.unit(), source).getAsDouble();
        int kept = Math.max(Metric.significantDigits(source) + 1, 3);
        // No binary residue: the stored double prints with no more digits than were kept.
        assertTrue(new BigDecimal(Double.toString(converted)).stripTrailingZeros().precision() <= kept,
                () -> source + " " + c.unit() + " became " + converted + ": more than " + kept + " digits");
        BigDecimal exact = new BigDecimal(Double.toString(source)).multiply(new BigDecimal(Double.toString(c.factor())));
        assertEquals(0, exact.round(new MathContext(kept, RoundingMode.HALF_EVEN))
                .compareTo(new BigDecimal(Double.toString(converted))), () -> exact + " became " + converted);
    }

    @Property(tries = 2000)
    void aConvertedValueConvertsBackToTheValueAsSent(
            @ForAll("conversions") Conversion c,
            @ForAll @IntRange(min = 1, max = 999_999) int digits,
            @ForAll @IntRange(min = 0, max = 4) int scale) {
        double source = sent(digits, scale);
        double converted = c.metric().toCanonical(c.unit(), source).getAsDouble();
        BigDecimal back = new BigDecimal(Double.toString(converted)).divide(new BigDecimal(Double.toString(c.factor())),
                new MathContext(Metric.significantDigits(source), RoundingMode.HALF_EVEN));
        assertEquals(0, back.compareTo(new BigDecimal(Double.toString(source))),
                () -> source + " " + c.unit() + " -> " + converted + " -> " + back);
    }

    @Property(tries = 500)
    void aValueInTheCanonicalUnitIsKeptBitForBit(@ForAll("conversions") Conversion c, @ForAll double value) {
        Metric m = c.metric();
        assertEquals(Double.doubleToLongBits(value),
                Double.doubleToLongBits(m.toCanonical(m.canonicalUnit(), value).getAsDouble()));
    }
}
