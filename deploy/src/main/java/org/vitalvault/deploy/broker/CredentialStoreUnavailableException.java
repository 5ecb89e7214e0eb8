package org.vitalvault.deploy.broker;

/**
 * The credential store could not answer (for example PostgreSQL is restarting). Distinct from a
 * refusal, so a sensor is told to retry rather than that its credentials are wrong. The message
 * never contains a user name's password or hash.
 */
public final class CredentialStoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CredentialStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
