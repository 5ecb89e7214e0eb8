package org.vitalvault.gateway.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.vitalvault.wire.RejectionReason;

/**
 * The most recent rejections, for operators: which device, why, when. Bounded, and it never holds
 * a value or a payload, only reason codes. Thread-safe.
 */
public final class RejectionLog {

    /** One logged rejection. */
    public record Entry(long at, UUID deviceId, String topic, RejectionReason reason, int records) {
    }

    private final int capacity;
    private final Deque<Entry> entries;

    public RejectionLog(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(capacity);
    }

    public synchronized void add(Entry entry) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(entry);
    }

    /** Newest first. */
    public synchronized List<Entry> recent() {
        List<Entry> list = new ArrayList<>(entries);
        java.util.Collections.reverse(list);
        return list;
    }
}
