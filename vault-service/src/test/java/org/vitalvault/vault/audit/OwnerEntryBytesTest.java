package org.vitalvault.vault.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.tlog.OwnerEntryTemplate;

/**
 * AuditLog serialises an event's shared fields once and splices each owner's fields in
 * (OwnerEntryTemplate): the bytes must stay exactly those Jackson wrote for the whole entry before,
 * so entries appended before and after the change read the same to every verifier.
 */
class OwnerEntryBytesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void splicedEntriesAreByteForByteWhatJacksonWritesForTheWholeEntry() throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lease", UUID.randomUUID().toString());
        details.put("purpose", "cardio \"study\" — ü \u2028 \\ /");
        details.put("metrics", List.of("heart_rate", "steps"));
        details.put("window", Map.of("from", "2026-01-01T00:00:00Z"));
        details.put("epsilon", 0.25);
        details.put("cohort", 1000);
        details.put("nothing", null);
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("v", 1);
        head.put("log", "vault.example/audit \"v1\"");
        head.put("kind", AuditKind.DATA_USE.name());
        head.put("at", "2026-12-03T06:00:00.123456Z");
        OwnerEntryTemplate template = new OwnerEntryTemplate(json.writeValueAsBytes(head), json.writeValueAsBytes(details));
        for (int i = 0; i < 200; i++) {
            UUID owner = new UUID(random.nextLong(), random.nextLong());
            long seq = i == 0 ? 1 : 1 + random.nextLong(Long.MAX_VALUE - 1);
            byte[] prev = null;
            if (i > 0) {
                prev = new byte[32];
                random.nextBytes(prev);
            }
            Map<String, Object> whole = new LinkedHashMap<>(head);
            whole.put("owner", owner.toString());
            whole.put("seq", seq);
            whole.put("prev", prev == null ? null : Base64.getEncoder().encodeToString(prev));
            whole.put("details", details);
            assertEquals(new String(json.writeValueAsBytes(whole), StandardCharsets.UTF_8),
                    new String(template.entry(owner, seq, prev), StandardCharsets.UTF_8));
        }
    }
}
