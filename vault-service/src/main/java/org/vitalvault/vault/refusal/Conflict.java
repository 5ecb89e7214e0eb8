package org.vitalvault.vault.refusal;

import java.util.List;

/**
 * The request is well formed and allowed, but the state it meets rules it out: a member already,
 * a grant revoked already, a request id used already, a lease used up.
 */
public final class Conflict extends Refusal {

    public Conflict(String code, String title, String detail) {
        super(code, title, detail, null);
    }

    /** A conflict the policy engine found, with its reason codes. */
    public Conflict(String code, String title, String detail, List<Reason> reasons) {
        super(code, title, detail, reasons);
    }
}
