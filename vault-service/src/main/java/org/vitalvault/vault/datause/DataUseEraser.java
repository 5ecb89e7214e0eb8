package org.vitalvault.vault.datause;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/** Deletes the owner's "who used my data" trail. */
@ApplicationScoped
public class DataUseEraser extends RowsEraser {
    public static final String DATA_USE = "data_use";

    public DataUseEraser() {
        super(800, DATA_USE);
    }
}
