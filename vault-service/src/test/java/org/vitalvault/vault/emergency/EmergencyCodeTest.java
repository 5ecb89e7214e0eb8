package org.vitalvault.vault.emergency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmergencyCodeTest {

    @Test
    void aCodeIsFourGroupsOfFourUnambiguousSymbolsCarryingEightyBits() {
        assertTrue(EmergencyCode.BITS >= 80);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String code = EmergencyCode.generate();
            assertTrue(code.matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}"), code);
            assertTrue(seen.add(code), "a repeated code " + code);
        }
    }

    @Test
    void readingBackForgivesCaseSeparatorsAndLookAlikeLetters() {
        assertEquals(Optional.of("7K3M0X9D2RTV1111"), EmergencyCode.canonical("7k3m-oX9d 2rtv-iL11"));
        assertEquals(Optional.of("7K3M0X9D2RTV1411"), EmergencyCode.canonical(" 7K3M0X9D2RTV1411 "));
    }

    @Test
    void whatCannotBeACodeIsNoCode() {
        assertEquals(Optional.empty(), EmergencyCode.canonical(null));
        assertEquals(Optional.empty(), EmergencyCode.canonical("7K3M-QX9D-2RTV"));
        assertEquals(Optional.empty(), EmergencyCode.canonical("7K3M-QX9D-2RTV-H4PNX"));
        assertEquals(Optional.empty(), EmergencyCode.canonical("7K3M-QX9D-2RTV-H4PU"));
        assertEquals(Optional.empty(), EmergencyCode.canonical("7K3M-QX9D-2RTV-H4P%"));
        assertEquals(Optional.empty(), EmergencyCode.canonical("-".repeat(100)));
    }
}
