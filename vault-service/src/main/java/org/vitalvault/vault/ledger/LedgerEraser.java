package org.vitalvault.vault.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/** Deletes the privacy loss charged to the owner. */
@ApplicationScoped
public class LedgerEraser extends RowsEraser {
    public static final String TABLE = "privacy_ledger";

    public LedgerEraser() {
        super(600, TABLE);
    }
}
