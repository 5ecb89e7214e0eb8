package org.vitalvault.gateway.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JdbcBatchStoreTest {

    @Test
    void connectionLossShutdownTimeoutsDeadlocksAndMisconfigurationAreRetried() {
        for (String state : new String[] {null, "08006", "08001", "57P01", "57014", "53300", "40001", "40P01", "55P03",
            "42P01", "42501", "XX000"}) {
            assertTrue(JdbcBatchStore.isTransient(state), String.valueOf(state));
        }
    }

    @Test
    void rowsPostgresqlRefusesAreNotRetriedForever() {
        for (String state : new String[] {"23503", "23505", "22001", "22P02"}) {
            assertFalse(JdbcBatchStore.isTransient(state), state);
        }
    }
}
