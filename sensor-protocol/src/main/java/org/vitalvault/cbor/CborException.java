package org.vitalvault.cbor;

/**
 * A CBOR item is not well formed, is truncated, or exceeds a reader limit.
 *
 * <p>The message names the structural problem only ("declared length exceeds the input"), never
 * content: the bytes being read may be health data. Hostile input raises this on the ingest hot
 * path, so it records no stack trace.
 */
public final class CborException extends Exception {

    private static final long serialVersionUID = 1L;

    public CborException(String message) {
        super(message, null, false, false);
    }
}
