package org.vitalvault.vault.broker;

/**
 * The broker could not be told: unreachable, silent past the timeout, or it refused the command.
 * {@link #commandSent()} says whether the command may have reached it (and so may have been
 * carried out even though no answer came), which is when a failed pairing must be cleaned up.
 */
public final class ProvisioningException extends Exception {

    private final boolean commandSent;

    public ProvisioningException(String message, boolean commandSent, Throwable cause) {
        super(message, cause);
        this.commandSent = commandSent;
    }

    public boolean commandSent() {
        return commandSent;
    }
}
