package org.vitalvault.researcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** An answer as CSV: one row per released number, the same columns for every mix of kinds. */
class AnswerCsvTest {

    @Test
    void everyReleasedNumberIsOneRowAndASuppressedBucketOneEmptyRow() throws Exception {
        assertEquals("""
                start,suppressed,measure,value,noise_scale,low95,high95
                2026-11-30T00:00:00Z,false,contributors,39,2.83,33.5,44.5
                2026-11-30T00:00:00Z,false,mean,71.25,0.41,70.45,72.05
                2026-11-30T00:00:00Z,false,p50,70,1.2,67.6,72.4
                2026-11-30T00:00:00Z,false,p97.5,96,1.5,93,99
                2026-11-30T00:00:00Z,false,bin_60_70,12,2.83,6.5,17.5
                2026-11-30T00:00:00Z,false,bin_70_80,,,,
                2026-12-01T00:00:00Z,true,,,,,
                """, AnswerCsv.of(VaultFixtures.JSON.readTree(VaultFixtures.ANSWER)));
    }

    @Test
    void theSignatureMemberDoesNotChangeTheCsv() throws Exception {
        assertEquals(AnswerCsv.of(VaultFixtures.JSON.readTree(VaultFixtures.ANSWER)),
                AnswerCsv.of(VaultFixtures.JSON.readTree(new VaultFixtures().signedAnswer())));
    }

    @Test
    void numbersArePlainDecimalsNeverExponents() {
        assertEquals("0.0001", AnswerCsv.number(new BigDecimal("1.0E-4")));
        assertEquals("12000000", AnswerCsv.number(new BigDecimal("1.2E7")));
        assertEquals("0", AnswerCsv.number(new BigDecimal("0.000")));
        assertEquals("-3.5", AnswerCsv.number(new BigDecimal("-3.50")));
    }

    @Test
    void aFieldWithACommaOrQuoteIsQuoted() {
        assertEquals("\"a,b\"", AnswerCsv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", AnswerCsv.field("say \"hi\""));
        assertEquals("plain", AnswerCsv.field("plain"));
    }

    @Test
    void somethingWithoutBucketsIsNotAnAnswer() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> AnswerCsv.of(VaultFixtures.JSON.readTree("{\"status\":403}")));
    }
}
