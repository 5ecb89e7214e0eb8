package org.vitalvault.gateway.ingest;

/**
 * PostgreSQL answered and refused the write for a reason that retrying will not cure (for example
 * the owner was erased while their readings were in flight, so the foreign key no longer holds).
 * The pipeline then writes owner by owner so that one refused owner cannot stall everyone else.
 */
public class StoreRejectedException extends Exception {

    public StoreRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
