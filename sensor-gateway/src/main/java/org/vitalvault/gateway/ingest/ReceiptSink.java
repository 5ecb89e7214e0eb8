package org.vitalvault.gateway.ingest;

/** Where receipts go after a commit. Must not block for long: it runs on the committer thread. */
public interface ReceiptSink {

    /** Best effort: a receipt lost is a receipt the device waits for and resends; dedup absorbs the resend. */
    void publish(Receipt receipt);
}
