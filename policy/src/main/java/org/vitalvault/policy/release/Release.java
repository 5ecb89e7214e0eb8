package org.vitalvault.policy.release;

import java.util.List;
import java.util.UUID;
import org.vitalvault.policy.ledger.LeaseBudget;
import org.vitalvault.policy.ledger.LedgerEntry;
import org.vitalvault.policy.ledger.PrivacyLedger;

/**
 * The result of one query. {@link #buckets} is what the researcher receives; the rest is the
 * vault's: the lease budget and the ledger after the release (to store in the same transaction), and
 * the charges made, one per included owner (each is also an entry of that owner's audit trail).
 *
 * @param lease   the lease
 * @param epsilon the privacy loss of the release
 * @param buckets released aggregates, in the query's bucket order
 * @param budget  the lease budget after the release
 * @param ledger  the ledger after the release
 * @param charges the ledger entries this release added
 */
public record Release(UUID lease, double epsilon, List<BucketRelease> buckets, LeaseBudget budget, PrivacyLedger ledger,
                      List<LedgerEntry> charges) {

    public Release {
        buckets = List.copyOf(buckets);
        charges = List.copyOf(charges);
    }
}
