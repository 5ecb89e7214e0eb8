package org.vitalvault.vault.consent;

import com.fasterxml.jackson.annotation.JsonValue;

/** A change of consent, as named in receipts and in the owner's consent events. */
public enum ConsentAction {
    GRANT_CREATED("grant.created"),
    GRANT_AMENDED("grant.amended"),
    GRANT_REVOKED("grant.revoked"),
    COOP_JOINED("coop.joined"),
    COOP_LEFT("coop.left");

    private final String code;

    ConsentAction(String code) {
        this.code = code;
    }

    /** The stable name clients switch on, e.g. {@code grant.revoked}. */
    @JsonValue
    public String code() {
        return code;
    }
}
