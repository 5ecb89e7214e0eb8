package org.vitalvault.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReadingTopicTest {

    @Test
    void deviceIdIsTheSecondLevel() {
        UUID id = UUID.randomUUID();
        ReadingTopic topic = ReadingTopic.parse("readings/" + id).orElseThrow();
        assertEquals(id, topic.deviceId());
        assertNull(topic.format());
    }

    @Test
    void mqtt3NodesNameTheirFormatInASuffix() {
        UUID id = UUID.randomUUID();
        assertEquals("cbor", ReadingTopic.parse("readings/" + id + "/cbor").orElseThrow().format());
        assertEquals("json", ReadingTopic.parse("readings/" + id + "/json").orElseThrow().format());
    }

    @Test
    void otherTopicsAreNotReadingTopics() {
        assertTrue(ReadingTopic.parse("receipts/" + UUID.randomUUID()).isEmpty());
        assertTrue(ReadingTopic.parse("readings/not-a-uuid").isEmpty());
        assertTrue(ReadingTopic.parse("readings/" + UUID.randomUUID() + "/xml").isEmpty());
        assertTrue(ReadingTopic.parse("readings/" + UUID.randomUUID() + "/cbor/x").isEmpty());
        assertTrue(ReadingTopic.parse(null).isEmpty());
    }
}
