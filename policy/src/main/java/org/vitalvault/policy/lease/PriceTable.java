package org.vitalvault.policy.lease;

import java.time.Duration;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.TimeWindow;

/**
 * The price of a lease, credited to the owners whose data counts. Each eligible owner is credited
 *
 * <pre>
 *   base(tier) × factor(granularity) × number of metrics × started 30-day periods of the lease
 * </pre>
 *
 * and the lease costs the sum of the credits.
 *
 * <table>
 *   <caption>Rates</caption>
 *   <tr><th>tier</th><th>base, euro cents</th></tr>
 *   <tr><td>COMMUNITY</td><td>0</td></tr>
 *   <tr><td>STANDARD</td><td>50</td></tr>
 *   <tr><td>PREMIUM</td><td>200</td></tr>
 *   <tr><th>granularity</th><th>factor</th></tr>
 *   <tr><td>MONTH</td><td>1</td></tr>
 *   <tr><td>WEEK</td><td>2</td></tr>
 *   <tr><td>DAY</td><td>4</td></tr>
 *   <tr><td>HOUR</td><td>8</td></tr>
 * </table>
 *
 * <p>Example: a 90-day lease of daily heart rate and SpO2 over 40 STANDARD owners costs
 * 40 × 50 × 4 × 2 × 3 = 48,000 cents (€480), €12 to each owner.
 */
public final class PriceTable {

    private static final long PERIOD_SECONDS = Duration.ofDays(30).getSeconds();

    private PriceTable() {
    }

    /** The base rate of a tier, euro cents per owner, metric and 30 days at monthly granularity. */
    public static long baseCents(PriceTier tier) {
        return switch (tier) {
            case COMMUNITY -> 0;
            case STANDARD -> 50;
            case PREMIUM -> 200;
        };
    }

    /** How much more a finer granularity costs. */
    public static long granularityFactor(Granularity granularity) {
        return switch (granularity) {
            case MONTH -> 1;
            case WEEK -> 2;
            case DAY -> 4;
            case HOUR -> 8;
        };
    }

    /** One owner's credit for a lease, euro cents. */
    public static long creditCents(PriceTier tier, Granularity granularity, int metrics, TimeWindow validity) {
        Duration length = validity.length();
        long seconds = length.getSeconds() + (length.getNano() > 0 ? 1 : 0);
        long periods = Math.max(1, (seconds + PERIOD_SECONDS - 1) / PERIOD_SECONDS);
        return Math.multiplyExact(Math.multiplyExact(baseCents(tier) * granularityFactor(granularity), metrics), periods);
    }
}
