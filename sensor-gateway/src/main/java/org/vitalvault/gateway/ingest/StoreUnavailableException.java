package org.vitalvault.gateway.ingest;

/** PostgreSQL could not be reached or refused the write; the batch stays unacknowledged and is retried. */
public class StoreUnavailableException extends Exception {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
