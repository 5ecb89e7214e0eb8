package org.vitalvault.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vitalvault.gateway.ingest.Receipt;
import org.vitalvault.wire.RejectionReason;

/** The wire form devices and the bench read: field names and nesting must not change. */
class ReceiptJsonTest {

    @Test
    void aReceiptIsWrittenInTheDocumentedShape() throws Exception {
        UUID batch = UUID.randomUUID();
        Receipt r = new Receipt(batch, 1_780_000_000_123L, UUID.randomUUID(), 2, 3, 29, 1_780_000_000_000L,
                1_780_000_009_000L, List.of(new Receipt.Rejected(4, RejectionReason.OUT_OF_RANGE, 1_780_000_004_000L),
                        new Receipt.Rejected(-1, RejectionReason.MALFORMED, 0)), 2);

        JsonNode json = new ObjectMapper().readTree(new ReceiptJson().encode(r));

        assertEquals(batch.toString(), json.get("batch").asText());
        assertEquals(1_780_000_000_123L, json.get("committedAt").asLong());
        assertEquals(2, json.get("commits").asInt());
        assertEquals(3, json.get("messages").asInt());
        assertEquals(29, json.at("/stored/count").asInt());
        assertEquals(1_780_000_000_000L, json.at("/stored/fromTime").asLong());
        assertEquals(1_780_000_009_000L, json.at("/stored/upToTime").asLong());
        assertEquals(4, json.at("/rejected/0/index").asInt());
        assertEquals("out-of-range", json.at("/rejected/0/reason").asText());
        assertEquals(1_780_000_004_000L, json.at("/rejected/0/time").asLong());
        assertFalse(json.at("/rejected/1").has("time"), "an unknown time is left out");
        assertEquals(2, json.get("rejectedTotal").asInt());
        assertEquals(List.of("batch", "committedAt", "commits", "messages", "stored", "rejected", "rejectedTotal"),
                List.copyOf(iterable(json)));
    }

    private static List<String> iterable(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
