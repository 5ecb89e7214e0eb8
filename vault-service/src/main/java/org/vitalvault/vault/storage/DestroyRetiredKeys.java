package org.vitalvault.vault.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.vitalvault.store.CompactionRows;

/**
 * Pass 6: destroys retired owner key pairs that no epoch refers to any more, at least
 * {@code keyGrace} after their retirement (gateways may seal to a retired key until their device
 * cache refreshes): the wrapped private key is overwritten, then the row deleted, in one
 * transaction. From then on nothing sealed to that pair can be opened.
 */
@ApplicationScoped
public class DestroyRetiredKeys {

    @Inject
    CompactionTransactions transactions;

    /** Returns how many key pairs were destroyed. */
    public int run(Instant now, Duration keyGrace) throws SQLException {
        return transactions.inTransaction(c -> CompactionRows.destroyRetiredKeysWithoutEpochs(c, now.minus(keyGrace)));
    }
}
