package org.vitalvault.vault.emergency;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/** Deletes the owner's break-glass opt-in (its code hash) and episodes (clinicians and reasons, sealed). */
@ApplicationScoped
public class EmergencyEraser extends RowsEraser {
    public EmergencyEraser() {
        super(810, "emergency_episode", "emergency_access");
    }
}
