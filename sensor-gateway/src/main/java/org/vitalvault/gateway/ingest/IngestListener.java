package org.vitalvault.gateway.ingest;

import org.vitalvault.wire.RejectionReason;

/** What the pipeline reports, for metrics and progress lines. Called from the writer thread. */
public interface IngestListener {

    /** Records rejected for one reason. */
    void rejected(RejectionReason reason, int records);

    /** A batch committed: this many messages acknowledged and readings stored. */
    void committed(int messages, int readings, long commitNanos);

    /** A write failed; the batch will be retried. */
    void storeFailed(int attempt);
}
