package org.vitalvault.gateway.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vitalvault.gateway.ingest.Receipt;
import org.vitalvault.wire.RejectionReason;

/**
 * At most one receipt per device per interval, and every commit covered by one. Time is a number
 * the test moves; flushes happen when the test calls them, as the flusher's timer would.
 */
class ReceiptCoalescerTest {

    private static final Duration INTERVAL = Duration.ofMillis(250);
    private static final long MS = 1_000_000L;

    private long now = 1_000 * MS;
    private boolean transportUp = true;
    private final List<Receipt> sent = new ArrayList<>();
    private final ReceiptCoalescer coalescer = new ReceiptCoalescer(r -> transportUp && sent.add(r), INTERVAL, () -> now);

    private final UUID device = UUID.randomUUID();

    private void advance(long millis) {
        now += millis * MS;
    }

    private static Receipt commit(UUID device, long committedAt, int messages, int stored, long from, long upTo,
                                  Receipt.Rejected... rejected) {
        return new Receipt(UUID.randomUUID(), committedAt, device, 1, messages, stored, from, upTo, List.of(rejected),
                rejected.length);
    }

    @Test
    void aQuietDeviceGetsItsReceiptAtOnce() {
        Receipt first = commit(device, 100, 1, 1, 5_000, 5_000);
        coalescer.publish(first);
        assertEquals(List.of(first), sent, "the leading edge is not delayed");
    }

    @Test
    void commitsWithinTheIntervalAreMergedIntoOneReceiptSentWhenTheIntervalEnds() {
        coalescer.publish(commit(device, 100, 1, 1, 5_000, 5_000));
        advance(50);
        Receipt second = commit(device, 150, 2, 2, 6_000, 7_000);
        coalescer.publish(second);
        advance(100);
        Receipt third = commit(device, 250, 1, 1, 4_000, 4_000);
        coalescer.publish(third);
        coalescer.flushDue();
        assertEquals(1, sent.size(), "nothing more before the interval ends");

        advance(100);
        coalescer.flushDue();

        assertEquals(2, sent.size());
        Receipt merged = sent.get(1);
        assertEquals(device, merged.deviceId());
        assertEquals(2, merged.commits());
        assertEquals(3, merged.messages());
        assertEquals(3, merged.stored());
        assertEquals(4_000, merged.fromTime(), "lowest device time of all merged commits");
        assertEquals(7_000, merged.upToTime(), "highest device time of all merged commits");
        assertEquals(third.batchId(), merged.batchId(), "a merged receipt names its latest commit");
        assertEquals(250, merged.committedAt());
        assertEquals(2, coalescer.coalesced());
    }

    @Test
    void theTrailingReceiptOpensTheNextIntervalAndAQuietIntervalClosesIt() {
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        advance(10);
        coalescer.publish(commit(device, 10, 1, 1, 2_000, 2_000));
        advance(250);
        coalescer.flushDue();
        assertEquals(2, sent.size(), "trailing edge");

        advance(100);
        coalescer.publish(commit(device, 360, 1, 1, 3_000, 3_000));
        assertEquals(2, sent.size(), "still within the interval the trailing receipt opened");
        advance(150);
        coalescer.flushDue();
        assertEquals(3, sent.size());

        advance(250);
        coalescer.flushDue();
        assertEquals(0, coalescer.openWindows(), "a window that ends with nothing pending is forgotten");
        coalescer.publish(commit(device, 800, 1, 1, 4_000, 4_000));
        assertEquals(4, sent.size(), "after a quiet interval the device is answered at once again");
    }

    @Test
    void devicesAreCoalescedIndependently() {
        UUID other = UUID.randomUUID();
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        coalescer.publish(commit(device, 1, 1, 1, 2_000, 2_000));
        coalescer.publish(commit(other, 2, 1, 1, 3_000, 3_000));
        assertEquals(List.of(device, other), sent.stream().map(Receipt::deviceId).toList());
        assertEquals(2, coalescer.openWindows(), "one window per device, however many commits");
    }

    @Test
    void aCommitThatStoredNothingDoesNotWidenTheStoredRange() {
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        coalescer.publish(commit(device, 1, 1, 0, 0, 0, new Receipt.Rejected(0, RejectionReason.OUT_OF_RANGE, 9_000)));
        coalescer.publish(commit(device, 2, 1, 1, 2_000, 2_000));
        advance(250);
        coalescer.flushDue();
        Receipt merged = sent.get(1);
        assertEquals(1, merged.stored());
        assertEquals(2_000, merged.fromTime(), "0 means nothing stored, not the epoch");
        assertEquals(2_000, merged.upToTime());
        assertEquals(1, merged.rejectedTotal());
    }

    @Test
    void mergedCommitsThatStoredNothingSayNothingStored() {
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        coalescer.publish(commit(device, 1, 1, 0, 0, 0, new Receipt.Rejected(-1, RejectionReason.MALFORMED, 0)));
        coalescer.publish(commit(device, 2, 1, 0, 0, 0, new Receipt.Rejected(-1, RejectionReason.MALFORMED, 0)));
        advance(250);
        coalescer.flushDue();
        Receipt merged = sent.get(1);
        assertEquals(0, merged.stored());
        assertEquals(0, merged.fromTime());
        assertEquals(0, merged.upToTime());
    }

    @Test
    void theRejectionListIsCappedWhileTheTotalCountsEveryRejection() {
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        Receipt.Rejected[] sixty = IntStream.range(0, 60)
                .mapToObj(i -> new Receipt.Rejected(i, RejectionReason.OUT_OF_RANGE, 1_000 + i)).toArray(Receipt.Rejected[]::new);
        coalescer.publish(commit(device, 1, 1, 0, 0, 0, sixty));
        coalescer.publish(commit(device, 2, 1, 0, 0, 0, sixty));
        advance(250);
        coalescer.flushDue();
        Receipt merged = sent.get(1);
        assertEquals(Receipt.MAX_LISTED, merged.rejected().size());
        assertEquals(120, merged.rejectedTotal());
        assertEquals(List.of(0, 59, 0), List.of(merged.rejected().get(0).index(), merged.rejected().get(59).index(),
                merged.rejected().get(60).index()), "the first commit's rejections, then the next one's");
    }

    @Test
    void flushAllSendsWhatIsPendingAtOnceAndThenStopsCoalescing() {
        UUID other = UUID.randomUUID();
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        coalescer.publish(commit(device, 1, 1, 1, 2_000, 2_000));
        coalescer.publish(commit(other, 2, 1, 1, 3_000, 3_000));

        coalescer.flushAll();

        assertEquals(3, sent.size(), "the pending receipt went out without waiting for its interval");
        assertEquals(2_000, sent.get(2).upToTime());
        assertEquals(0, coalescer.openWindows());
        coalescer.publish(commit(device, 3, 1, 1, 4_000, 4_000));
        assertEquals(4, sent.size(), "a commit after the flush is not left in a buffer nobody flushes");
    }

    @Test
    void aReceiptTheTransportRefusedIsSentWithTheNextOneInsteadOfLost() {
        transportUp = false;
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        advance(100);
        coalescer.publish(commit(device, 100, 1, 1, 2_000, 2_000));
        transportUp = true;
        advance(150);
        coalescer.flushDue();

        assertEquals(1, sent.size());
        assertEquals(2, sent.get(0).commits(), "the refused commit is covered by the receipt that went out");
        assertEquals(1_000, sent.get(0).fromTime());
        assertEquals(2_000, sent.get(0).upToTime());
        assertEquals(1, coalescer.coalesced(), "a retry is not a coalesced commit");
    }

    @Test
    void aRefusedTrailingReceiptIsTriedAgainAtTheEndOfTheNextInterval() {
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        coalescer.publish(commit(device, 1, 1, 1, 2_000, 2_000));
        transportUp = false;
        advance(250);
        coalescer.flushDue();
        transportUp = true;
        advance(100);
        coalescer.flushDue();
        assertEquals(1, sent.size(), "retried at the end of the interval, not every tick");
        advance(150);
        coalescer.flushDue();
        assertEquals(2, sent.size());
        assertEquals(2_000, sent.get(1).upToTime());
    }

    @Test
    void theIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ReceiptCoalescer(r -> true, Duration.ZERO, () -> now));
        assertThrows(IllegalArgumentException.class,
                () -> new ReceiptCoalescer(r -> true, Duration.ofMillis(-1), () -> now));
    }

    @Test
    void theFlusherSendsWhatIsPendingWhenStoppedWithoutWaitingForATick() throws Exception {
        ReceiptFlusher flusher = new ReceiptFlusher(coalescer, Duration.ofHours(1));
        flusher.start();
        coalescer.publish(commit(device, 0, 1, 1, 1_000, 1_000));
        coalescer.publish(commit(device, 1, 1, 1, 2_000, 2_000));
        flusher.stop();
        assertEquals(2, sent.size());
        assertEquals(2_000, sent.get(1).upToTime(), "the merged receipt, flushed on stop");
    }

    @Test
    void theTickIsATenthOfTheIntervalAndAtLeastAMillisecond() {
        assertEquals(Duration.ofMillis(25), ReceiptFlusher.tickFor(Duration.ofMillis(250)));
        assertEquals(Duration.ofMillis(1), ReceiptFlusher.tickFor(Duration.ofMillis(3)));
    }
}
