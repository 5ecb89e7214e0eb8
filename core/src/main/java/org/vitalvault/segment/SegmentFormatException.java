package org.vitalvault.segment;

/**
 * Bytes that are not a well-formed segment or rollup. The message names the structural problem,
 * never a value, so it is safe to log.
 */
public final class SegmentFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SegmentFormatException(String message) {
        super(message);
    }
}
