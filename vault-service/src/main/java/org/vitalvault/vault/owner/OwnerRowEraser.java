package org.vitalvault.vault.owner;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/** Deletes the owner row itself: last, after every row that refers to it. */
@ApplicationScoped
public class OwnerRowEraser extends RowsEraser {
    public static final String OWNER = "owner";

    public OwnerRowEraser() {
        super(1000, OWNER);
    }
}
