package org.vitalvault.vault.refusal;

import java.util.List;

/**
 * The caller is known but may not do this: an organisation not approved yet, a signature that is
 * not the organisation's, a lease that consent does not cover.
 */
public final class NotPermitted extends Refusal {

    public NotPermitted(String code, String title, String detail) {
        super(code, title, detail, null);
    }

    /** A refusal the policy engine decided, with its reason codes. */
    public NotPermitted(String code, String title, String detail, List<Reason> reasons) {
        super(code, title, detail, reasons);
    }
}
