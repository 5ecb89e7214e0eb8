package org.vitalvault.crypto;

/**
 * Thrown when sealed data cannot be opened: the authentication tag does not verify, the format
 * version is unknown, or the input is too short to be a sealed value.
 *
 * <p>The causes are deliberately not distinguished in the message, and no key, nonce, plaintext
 * or ciphertext is ever included: a caller (or an attacker probing an endpoint) learns only that
 * the seal is broken. It is unchecked because the only sensible reaction is to reject the input;
 * there is nothing to retry.
 */
public final class SealBrokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message a fixed description of what failed to open; must not contain data
     */
    public SealBrokenException(String message) {
        super(message);
    }
}
