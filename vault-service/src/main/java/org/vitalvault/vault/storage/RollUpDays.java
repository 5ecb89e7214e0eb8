package org.vitalvault.vault.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.vitalvault.store.CompactionRows;
import org.vitalvault.store.DayRollups;
import org.vitalvault.store.VaultEpoch;
import org.vitalvault.vault.keys.OwnerKeyring;

/**
 * Pass 3: writes daily rollups that need writing without any hour changing (an hour's own rewrite
 * already rewrites its day): days compacted before daily rollups existed, until none is left (then
 * recorded as complete, and cohort queries read days), and days still sealed to a retired key.
 */
@ApplicationScoped
public class RollUpDays {

    private static final Logger LOG = Logger.getLogger(RollUpDays.class);

    @Inject
    CompactionTransactions transactions;

    @Inject
    OwnerKeyring keyring;

    /** Rewrites at most about {@code maxDays} of each kind; returns how many were written. */
    public int run(int maxDays, Instant now) throws SQLException {
        List<CompactionRows.Unit> days = transactions.read(c -> {
            List<CompactionRows.Unit> due = new ArrayList<>();
            boolean backfilling = !DayRollups.complete(c);
            if (backfilling) {
                due.addAll(CompactionRows.daysWithoutRollup(c, maxDays));
            }
            due.addAll(CompactionRows.daysOnRetiredKeys(c, maxDays));
            if (backfilling && due.isEmpty()) {
                CompactionRows.markDayBackfillComplete(c);
                LOG.info("every compacted day has its daily rollup; cohort queries read days from now on");
            }
            return due;
        });
        int written = 0;
        try (OwnerSessions sessions = new OwnerSessions(keyring)) {
            for (CompactionRows.Unit day : days) {
                if (transactions.isUnreadable(day)) {
                    continue;
                }
                OwnerKeyring.Session keys = sessions.of(day.ownerId());
                if (transactions.onUnit(day, "day", c -> rewrite(c, day, keys, now)).orElse(false)) {
                    written++;
                }
            }
        }
        return written;
    }

    private boolean rewrite(Connection c, CompactionRows.Unit day, OwnerKeyring.Session keys, Instant now)
            throws SQLException {
        // As for an hour: share the owner row so an erasure cannot interleave.
        if (!CompactionTransactions.lockOwnerShared(c, day.ownerId())) {
            return false;
        }
        Optional<OwnerKeyring.CurrentKey> current = keyring.currentKey(c, day.ownerId());
        if (current.isEmpty()) {
            return false;
        }
        VaultEpoch epoch = VaultEpoch.current(c, keys, day.ownerId(), current.get().keyVersion(),
                current.get().publicKey(), now);
        DayRollups.rewrite(c, keys, day.ownerId(), day.metric(), day.start(), epoch);
        return true;
    }
}
