package org.vitalvault.policy.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PurposeTest {

    @Test
    void hl7CodeIsParsedExactly() {
        assertEquals(Purpose.HRESCH, Purpose.ofCode("HRESCH"));
    }

    @Test
    void treatmentIsNotALicensablePurpose() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Purpose.ofCode("TREAT"));
        assertEquals("purpose must be one of HRESCH, CLINTRCH, PUBHLTH, POPHLTH, PATRQT", e.getMessage());
    }
}
