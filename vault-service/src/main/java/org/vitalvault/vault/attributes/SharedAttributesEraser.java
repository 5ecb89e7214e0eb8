package org.vitalvault.vault.attributes;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/** Deletes the coarse attributes the owner chose to share. */
@ApplicationScoped
public class SharedAttributesEraser extends RowsEraser {
    public static final String OWNER_SHARED_ATTRIBUTES = "owner_shared_attributes";

    public SharedAttributesEraser() {
        super(900, OWNER_SHARED_ATTRIBUTES);
    }
}
