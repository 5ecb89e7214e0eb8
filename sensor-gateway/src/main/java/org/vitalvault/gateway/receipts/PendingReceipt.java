package org.vitalvault.gateway.receipts;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vitalvault.gateway.ingest.Receipt;

/**
 * The receipts of one device not yet sent, merged into one. Mutable and reused from one window to
 * the next, so merging a commit into it allocates nothing but the growth of its rejection list,
 * which stops at {@link Receipt#MAX_LISTED}. Not thread-safe: its {@link ReceiptCoalescer} guards it.
 */
final class PendingReceipt {

    private final UUID deviceId;
    private int commits;
    private UUID batchId;
    private long committedAt;
    private int messages;
    private int stored;
    private long fromTime;
    private long upToTime;
    private final List<Receipt.Rejected> rejected = new ArrayList<>();
    private int rejectedTotal;

    PendingReceipt(UUID deviceId) {
        this.deviceId = deviceId;
    }

    boolean isEmpty() {
        return commits == 0;
    }

    /**
     * Adds what {@code r} says. Order does not matter: a receipt refused by the transport and merged
     * back may be older than what is pending, so the latest commit is chosen by time, not by arrival.
     */
    void add(Receipt r) {
        if (commits == 0 || r.committedAt() >= committedAt) {
            batchId = r.batchId();
            committedAt = r.committedAt();
        }
        commits += r.commits();
        messages += r.messages();
        // 0 means "nothing stored" in a receipt, so the range is merged by the counts, not the times.
        if (r.stored() > 0) {
            fromTime = stored == 0 ? r.fromTime() : Math.min(fromTime, r.fromTime());
            upToTime = stored == 0 ? r.upToTime() : Math.max(upToTime, r.upToTime());
            stored += r.stored();
        }
        for (Receipt.Rejected x : r.rejected()) {
            if (rejected.size() == Receipt.MAX_LISTED) {
                break;
            }
            rejected.add(x);
        }
        rejectedTotal += r.rejectedTotal();
    }

    /** The merged receipt; empties this one for the device's next window. */
    Receipt drain() {
        Receipt r = new Receipt(batchId, committedAt, deviceId, commits, messages, stored, fromTime, upToTime,
                List.copyOf(rejected), rejectedTotal);
        commits = 0;
        batchId = null;
        committedAt = 0;
        messages = 0;
        stored = 0;
        fromTime = 0;
        upToTime = 0;
        rejected.clear();
        rejectedTotal = 0;
        return r;
    }
}
