package org.vitalvault.vault.care;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InviteCodesTest {

    @Test
    void aCodeIsFourGroupsOfFourFromAnUnambiguousAlphabetCarrying80Bits() {
        String code = InviteCodes.generate();
        assertTrue(code.matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}"), code);
        assertEquals(80, 16 * 5, "16 symbols of a 32-letter alphabet");
    }

    @Test
    void codesDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(InviteCodes.generate()));
        }
    }

    @Test
    void typingIsForgivingButADifferentCodeHashesDifferently() {
        byte[] h = InviteCodes.hash("7KQ2-M9XD-4TR1-0P8C");
        assertArrayEquals(h, InviteCodes.hash(" 7kq2 m9xd 4tRl-oP8c "));
        assertFalse(Arrays.equals(h, InviteCodes.hash("7KQ2-M9XD-4TR1-0P8D")));
    }
}
