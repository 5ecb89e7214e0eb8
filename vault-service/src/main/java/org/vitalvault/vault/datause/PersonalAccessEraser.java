package org.vitalvault.vault.datause;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/** Deletes the owner's caregiver-read and emergency-access trail. */
@ApplicationScoped
public class PersonalAccessEraser extends RowsEraser {
    public PersonalAccessEraser() {
        super(801, "personal_access");
    }
}
