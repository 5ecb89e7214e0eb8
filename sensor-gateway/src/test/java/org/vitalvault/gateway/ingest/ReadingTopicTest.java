package org.vitalvault.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReadingTopicTest {

    @Test
    void deviceIdIsTheSecondLevel() {
        UUID id = UUID.randomUUID();
        assertEquals(id, ReadingTopic.parse("readings/" + id).orElseThrow().deviceId());
    }

    @Test
    void otherTopicsAreNotReadingTopics() {
        assertTrue(ReadingTopic.parse("receipts/" + UUID.randomUUID()).isEmpty());
        assertTrue(ReadingTopic.parse("readings/not-a-uuid").isEmpty());
        assertTrue(ReadingTopic.parse("readings/" + UUID.randomUUID() + "/extra").isEmpty());
        assertTrue(ReadingTopic.parse(null).isEmpty());
    }
}
