package org.vitalvault.vault.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.vitalvault.store.CompactionRows;
import org.vitalvault.vault.keys.OwnerKeyring;

/**
 * Pass 2: after an owner key rotation, rewrites compacted hours still sealed under an epoch of the
 * retired key to the owner's current key ({@link HourCompaction}, which also rewrites their days),
 * so that the retired key pair can be destroyed once nothing refers to it ({@link DestroyRetiredKeys}).
 */
@ApplicationScoped
public class ResealAfterRotation {

    @Inject
    CompactionTransactions transactions;

    @Inject
    HourCompaction hours;

    @Inject
    OwnerKeyring keyring;

    /** At most {@code maxHours} hours on retired keys. */
    public HourCounts run(int maxHours, Instant now) throws SQLException {
        List<CompactionRows.Unit> stale = transactions.read(c -> CompactionRows.hoursOnRetiredKeys(c, maxHours));
        HourCounts counts = HourCounts.NONE;
        try (OwnerSessions sessions = new OwnerSessions(keyring)) {
            for (CompactionRows.Unit hour : stale) {
                if (!transactions.isUnreadable(hour)) {
                    counts = counts.plus(hours.rewrite(hour, sessions, now));
                }
            }
        }
        return counts;
    }
}
