package org.vitalvault.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OwnerEntryTemplateTest {

    private static final String HEAD = "{\"v\":1,\"log\":\"vault.example/audit\",\"kind\":\"DATA_USE\",\"at\":\"2026-12-03T06:00:00Z\"}";
    private static final String DETAILS = "{\"lease\":\"L-1\",\"note\":\"a \\\"quoted\\\" word\",\"count\":3}";
    private static final UUID OWNER = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String entry(UUID owner, long seq, byte[] prev) {
        return new String(new OwnerEntryTemplate(bytes(HEAD), bytes(DETAILS)).entry(owner, seq, prev), StandardCharsets.UTF_8);
    }

    @Test
    void aLaterEntryNamesItsPredecessorsCommitmentInBase64() {
        byte[] prev = new byte[32];
        prev[0] = (byte) 0xfb;
        assertEquals("{\"v\":1,\"log\":\"vault.example/audit\",\"kind\":\"DATA_USE\",\"at\":\"2026-12-03T06:00:00Z\""
                + ",\"owner\":\"0f0e0d0c-0b0a-4908-8706-050403020100\",\"seq\":12345678901,"
                + "\"prev\":\"+wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\","
                + "\"details\":{\"lease\":\"L-1\",\"note\":\"a \\\"quoted\\\" word\",\"count\":3}}", entry(OWNER, 12345678901L, prev));
    }

    @Test
    void theFirstEntryHasANullPrev() {
        assertEquals(HEAD.substring(0, HEAD.length() - 1)
                + ",\"owner\":\"0f0e0d0c-0b0a-4908-8706-050403020100\",\"seq\":1,\"prev\":null,\"details\":" + DETAILS + "}",
                entry(OWNER, 1, null));
    }

    @Test
    void aPrevThatIsNotACommitmentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> entry(OWNER, 2, new byte[31]));
    }

    @Test
    void aHeadThatIsNotANonEmptyObjectIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OwnerEntryTemplate(bytes("{}"), bytes(DETAILS)));
        assertThrows(IllegalArgumentException.class, () -> new OwnerEntryTemplate(bytes("[1]"), bytes(DETAILS)));
        assertThrows(IllegalArgumentException.class, () -> new OwnerEntryTemplate(bytes(""), bytes(DETAILS)));
        assertThrows(IllegalArgumentException.class, () -> new OwnerEntryTemplate(bytes(HEAD), new byte[0]));
    }
}
