package org.vitalvault.gateway.activity;

import java.sql.SQLException;
import java.util.List;
import org.vitalvault.store.DeviceActivity;

/** Where a flush window's device activity goes. */
@FunctionalInterface
public interface ActivityStore {

    /** Writes the rows; returns how many were written (the rest refused), or throws (none written). */
    int write(List<DeviceActivity> rows) throws SQLException;
}
