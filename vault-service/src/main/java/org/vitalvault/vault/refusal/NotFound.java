package org.vitalvault.vault.refusal;

/**
 * What was named does not exist for this caller. Another owner's or organisation's id is refused
 * exactly like an unknown one, so ids cannot be probed.
 */
public final class NotFound extends Refusal {

    /** {@code what} does not exist, e.g. {@code "grant " + id}: code {@code not-found}. */
    public NotFound(String what) {
        this("not-found", "Not found", what + " does not exist");
    }

    public NotFound(String code, String title, String detail) {
        super(code, title, detail, null);
    }
}
