package org.vitalvault.vault.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.vitalvault.store.CompactionRows;

/**
 * Pass 5: removes sealing epochs no batch, hour or day refers to any more. A gateway may still be
 * sealing under an epoch of the current key for up to its epoch length, so those are kept for
 * {@code epochGrace} after creation; an epoch of a retired key receives nothing new once gateways
 * refreshed their device cache, so it goes {@code keyGrace} after the retirement. The owner's
 * current vault epoch always stays (the next pass reuses it).
 */
@ApplicationScoped
public class CollectEpochs {

    @Inject
    CompactionTransactions transactions;

    /** Returns how many epochs were removed. */
    public int run(Instant now, Duration epochGrace, Duration keyGrace) throws SQLException {
        return transactions.inTransaction(c -> CompactionRows.deleteUnreferencedEpochs(c, now.minus(epochGrace),
                now.minus(keyGrace)));
    }
}
