package org.vitalvault.policy.ledger;

/**
 * A charge of privacy loss was refused because it would exceed a cap; nothing was charged. The
 * message states the cap that binds, never an owner id or a health value.
 */
public final class BudgetExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which cap would be exceeded, and by what */
    public BudgetExceededException(String message) {
        super(message);
    }
}
