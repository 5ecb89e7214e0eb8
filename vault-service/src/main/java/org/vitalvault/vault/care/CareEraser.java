package org.vitalvault.vault.care;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/**
 * Deletes the owner's delegations: an erased owner's caregivers find nothing from their next
 * request on. (Failed invite redemptions are the caregivers', keyed by no owner, and age out.)
 */
@ApplicationScoped
public class CareEraser extends RowsEraser {
    public CareEraser() {
        super(823, "care_delegation");
    }
}
