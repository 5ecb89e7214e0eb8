package org.vitalvault.deploy.db;

/**
 * A PostgreSQL data directory made by another major version than the binaries about to start; the
 * message names both versions and the way out, and is meant for the person at the console as is.
 */
public final class IncompatibleDataDirectoryException extends IllegalStateException {

    public IncompatibleDataDirectoryException(String message) {
        super(message);
    }
}
