package org.vitalvault.vault.device;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/**
 * Deletes the owner's device activity (counts per device and window). Before the devices go, though
 * nothing depends on the order; a gateway row for the owner arriving after the erasure is refused
 * by the foreign key to the owner (the gateway counts it lost).
 */
@ApplicationScoped
public class DeviceActivityEraser extends RowsEraser {
    public static final String TABLE = "device_activity";

    public DeviceActivityEraser() {
        super(290, TABLE);
    }
}
