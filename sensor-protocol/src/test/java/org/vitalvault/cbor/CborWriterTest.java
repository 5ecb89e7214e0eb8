package org.vitalvault.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected encodings are RFC 8949 Appendix A, which uses preferred serialization throughout. */
class CborWriterTest {

    private static String hex(CborWriter writer) {
        return HexFormat.of().formatHex(writer.toByteArray());
    }

    @ParameterizedTest
    @CsvSource({"0, 00", "23, 17", "24, 1818", "1000, 1903e8", "1000000, 1a000f4240",
        "1000000000000, 1b000000e8d4a51000", "-1, 20", "-100, 3863", "-1000, 3903e7",
        "-9223372036854775808, 3b7fffffffffffffff"})
    void integersUseTheShortestHead(long value, String expected) {
        assertEquals(expected, hex(new CborWriter().writeInteger(value)));
    }

    @ParameterizedTest
    @CsvSource({"0.0, f90000", "-0.0, f98000", "1.0, f93c00", "1.1, fb3ff199999999999a", "1.5, f93e00",
        "65504.0, f97bff", "100000.0, fa47c35000", "3.4028234663852886e+38, fa7f7fffff",
        "1.0e+300, fb7e37e43c8800759c", "5.960464477539063e-8, f90001", "0.00006103515625, f90400",
        "-4.0, f9c400", "-4.1, fbc010666666666666", "Infinity, f97c00", "NaN, f97e00", "-Infinity, f9fc00"})
    void floatsUseTheShortestExactPrecision(String value, String expected) {
        assertEquals(expected, hex(new CborWriter().writeFloat(Double.parseDouble(value))));
    }

    @ParameterizedTest
    @CsvSource({"120, 1878", "-5, 24", "0, 00", "-0.0, f98000", "120.1, fb405e066666666666", "1.5, f93e00",
        "9007199254740992, 1b0020000000000000", "1.8014398509481984E16, fa5a800000"})
    void numbersAreIntegersWhenIntegralAndExactElseFloats(double value, String expected) {
        assertEquals(expected, hex(new CborWriter().writeNumber(value)));
    }

    @Property(tries = 2000)
    void everyDoubleReadsBackBitForBit(@ForAll("doubles") double value) throws CborException {
        for (CborWriter writer : new CborWriter[] {new CborWriter().writeFloat(value), new CborWriter().writeNumber(value)}) {
            CborReader reader = new CborReader(writer.toByteArray(), 1);
            double read = reader.readNumber();
            assertTrue(reader.atEnd());
            if (Double.isNaN(value)) {
                assertTrue(Double.isNaN(read));
            } else {
                assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(read));
            }
        }
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.integers().map(bits -> (double) Float.intBitsToFloat(bits)),
                Arbitraries.integers().between(0, 0xffff).map(half -> CborReader.halfToDouble(half)),
                Arbitraries.doubles());
    }
}
