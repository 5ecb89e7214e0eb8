package org.vitalvault.vault.export;

import java.io.IOException;
import java.util.List;
import org.vitalvault.metric.Metric;
import org.vitalvault.reading.Reading;

/**
 * Writes one owner's export as it is read: the devices first, then every hour of every metric, in
 * order, then the end. Holds at most one hour's readings, so a whole vault streams through it.
 */
interface ExportWriter {

    /** Starts the document with the owner's devices. */
    void begin(List<ExportDevice> devices) throws IOException;

    /**
     * One hour of one metric: its unique readings sorted by (device time, device id), as
     * {@code SegmentCodec.deduplicate} returns them. Readings may name a device not given to
     * {@link #begin}; the writer must still describe it.
     */
    void hour(Metric metric, List<Reading> readings) throws IOException;

    /** Ends the document and flushes it; does not close the stream. */
    void end() throws IOException;
}
