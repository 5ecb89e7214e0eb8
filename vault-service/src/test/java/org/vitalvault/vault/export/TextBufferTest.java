package org.vitalvault.vault.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TextBufferTest {

    private static String decimal(double v) {
        return new TextBuffer(4).appendDecimal(v).text();
    }

    @Test
    void wholeNumbersAreWrittenAsIntegers() {
        assertEquals("72", decimal(72.0));
        assertEquals("0", decimal(0.0));
        assertEquals("0", decimal(-0.0));
        assertEquals("-40", decimal(-40));
        assertEquals("20000", decimal(20000));
        assertEquals("9007199254740991", decimal(9007199254740991.0));
    }

    @Test
    void decimalsHaveTheFewestPlacesThatParseBack() {
        assertEquals("36.6", decimal(36.6));
        assertEquals("73.5", decimal(73.5));
        assertEquals("-0.125", decimal(-0.125));
        assertEquals("0.05", decimal(0.05));
        assertEquals("98.000001", decimal(98.000001));
        assertEquals("0.30000000000000004", decimal(0.1 + 0.2));
    }

    @Test
    void hugeAndTinyValuesHaveNoExponent() {
        assertEquals("10000000000000000000000", decimal(1e22));
        assertEquals("0.0000001", decimal(1e-7));
        assertEquals("0.00000000123", decimal(1.23e-9));
    }

    @Property
    void everyFiniteDoubleRoundTripsWithoutExponentOrTrailingZero(@ForAll double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        String text = decimal(v);
        assertEquals(Double.doubleToLongBits(v == 0 ? 0.0 : v), Double.doubleToLongBits(new BigDecimal(text).doubleValue()),
                text);
        assertEquals(-1, text.indexOf('E'), text);
        if (text.indexOf('.') >= 0) {
            assertEquals(false, text.endsWith("0") || text.endsWith("."), text);
        }
    }

    @Test
    void longsIncludingTheExtremes() {
        assertEquals("-9223372036854775808", new TextBuffer(1).appendLong(Long.MIN_VALUE).text());
        assertEquals("9223372036854775807", new TextBuffer(1).appendLong(Long.MAX_VALUE).text());
        assertEquals("007", new TextBuffer(1).appendPadded(7, 3).text());
    }
}
