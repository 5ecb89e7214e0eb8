package org.vitalvault.vault.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void writesWhatInstantToStringWrites() {
        InstantText text = new InstantText();
        TextBuffer out = new TextBuffer(8);
        for (String s : new String[] {"2026-11-26T10:00:00Z", "2026-11-26T10:59:59.999Z", "2026-11-26T10:00:05.250Z",
                "2026-11-26T11:00:00.001Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.500Z", "0999-03-01T00:00:00Z",
                "+10000-01-01T00:00:00Z", "-0001-12-31T23:00:00Z", "2028-02-29T23:30:00.010Z"}) {
            out.clear();
            text.append(out, Instant.parse(s).toEpochMilli());
            assertEquals(s, out.text());
        }
    }

    @Property
    void anyMillisecondMatchesInstantToString(@ForAll @LongRange(min = -80_000_000_000_000L, max = 300_000_000_000_000L)
                                              long millis) {
        InstantText text = new InstantText();
        TextBuffer out = new TextBuffer(8);
        text.append(out, millis);
        text.append(out.append(' '), millis + 1);
        assertEquals(Instant.ofEpochMilli(millis) + " " + Instant.ofEpochMilli(millis + 1), out.text());
    }
}
