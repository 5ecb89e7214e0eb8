package org.vitalvault.policy.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.vitalvault.policy.internal.Checks;

/**
 * Every owner's privacy loss across all leases: an immutable list of {@link LedgerEntry charges}.
 * An owner's data stops counting once their yearly ε is spent.
 *
 * <p><b>Guarantee.</b> {@link #charge} never lets, for any owner, the sum of charges in any window of
 * {@link #YEAR} (half-open {@code (t − 365 days, t]}) exceed the yearly cap it is given, nor the sum of
 * one lease's charges exceed the per-lease cap — whatever the order in which charges arrive: a charge
 * at {@code t} is checked against every window that would contain it, i.e. those ending at {@code t}
 * and at each later charge before {@code t + 365 days}. The check is all-or-nothing over the owners
 * of one charge. Sums are exact (of the decimals the doubles are written as, which is also the ε the
 * noise is calibrated to: {@code DiscreteLaplace.forEpsilon}), so rounding cannot push a
 * ledger over its cap.
 *
 * <p><b>Limits.</b> A rolling 365-day window rather than calendar years, so there is no January burst.
 * The caps are given at charge time: the ledger holds history, not terms, so lowering a cap later
 * does not undo past charges; it only stops new ones. {@link #of} accepts any recorded history as it
 * is. Persistence and concurrency (two queries charging the same owner at once) are the caller's:
 * charge under the same transaction that stores the entries.
 */
public final class PrivacyLedger {

    /** The length of the yearly window. */
    public static final Duration YEAR = Duration.ofDays(365);

    private static final PrivacyLedger EMPTY = new PrivacyLedger(Map.of());
    private static final Comparator<LedgerEntry> BY_TIME = Comparator.comparing(LedgerEntry::at)
            .thenComparing(LedgerEntry::lease).thenComparingDouble(LedgerEntry::epsilon);

    private final Map<UUID, List<LedgerEntry>> byOwner;
    /**
     * Per owner, built on first use: exact prefix sums over the time-sorted charges and sums per
     * lease, so a check costs a binary search, not a pass over the owner's whole history (a cohort
     * of thousands with a year of charges each is checked at every query).
     */
    private final Map<UUID, History> histories = new ConcurrentHashMap<>();

    private PrivacyLedger(Map<UUID, List<LedgerEntry>> byOwner) {
        this.byOwner = byOwner;
    }

    /** The ledger with no charges. */
    public static PrivacyLedger empty() {
        return EMPTY;
    }

    /** The ledger of this recorded history (e.g. loaded from the database). */
    public static PrivacyLedger of(Collection<LedgerEntry> entries) {
        Map<UUID, List<LedgerEntry>> grouped = new TreeMap<>();
        for (LedgerEntry e : Checks.given("entries", entries)) {
            grouped.computeIfAbsent(Checks.given("entry", e).owner(), o -> new ArrayList<>()).add(e);
        }
        return freeze(grouped);
    }

    private static PrivacyLedger freeze(Map<UUID, List<LedgerEntry>> grouped) {
        Map<UUID, List<LedgerEntry>> frozen = new TreeMap<>();
        grouped.forEach((owner, list) -> frozen.put(owner, sorted(list)));
        return new PrivacyLedger(Collections.unmodifiableMap(frozen));
    }

    private static List<LedgerEntry> sorted(List<LedgerEntry> list) {
        List<LedgerEntry> sorted = new ArrayList<>(list);
        sorted.sort(BY_TIME);
        return List.copyOf(sorted);
    }

    /** All charges, by owner and then time. */
    public List<LedgerEntry> entries() {
        List<LedgerEntry> all = new ArrayList<>();
        byOwner.values().forEach(all::addAll);
        return Collections.unmodifiableList(all);
    }

    /** One owner's charges, by time. */
    public List<LedgerEntry> entriesOf(UUID owner) {
        return byOwner.getOrDefault(owner, List.of());
    }

    /** ε charged to {@code owner} in the year ending at {@code now}: charges in {@code (now − 365 days, now]}. */
    public double spentInYear(UUID owner, Instant now) {
        return history(owner).windowSum(now).doubleValue();
    }

    /** ε charged to {@code owner} by {@code lease}, ever. */
    public double spentOnLease(UUID owner, UUID lease) {
        return history(owner).leaseSum(lease).doubleValue();
    }

    /** The owner's yearly ε left at {@code now} under {@code yearlyCap}; 0 when spent. */
    public double remainingInYear(UUID owner, double yearlyCap, Instant now) {
        BigDecimal left = BigDecimal.valueOf(yearlyCap).subtract(history(owner).windowSum(now));
        return left.signum() <= 0 ? 0 : left.doubleValue();
    }

    /** True when charging {@code epsilon} to {@code owner} for {@code lease} at {@code at} keeps both caps. */
    public boolean canAfford(UUID owner, UUID lease, double epsilon, OwnerCaps caps, Instant at) {
        return refusal(owner, lease, epsilon, caps, at) == null;
    }

    /** The owners among {@code caps}' keys that can afford the charge, sorted. */
    public Set<UUID> affordable(Map<UUID, OwnerCaps> caps, UUID lease, double epsilon, Instant at) {
        Set<UUID> ok = new TreeSet<>();
        caps.forEach((owner, c) -> {
            if (canAfford(owner, lease, epsilon, c, at)) {
                ok.add(owner);
            }
        });
        return Collections.unmodifiableSet(ok);
    }

    /**
     * This ledger plus one charge of {@code epsilon} at {@code at} for {@code lease} to every owner
     * in {@code caps}, each under their own caps.
     *
     * @throws BudgetExceededException when any owner cannot afford it; then nobody is charged
     */
    public PrivacyLedger charge(UUID lease, Map<UUID, OwnerCaps> caps, double epsilon, Instant at) {
        Checks.given("lease", lease);
        Checks.given("at", at);
        Checks.positive("epsilon", epsilon);
        for (Map.Entry<UUID, OwnerCaps> c : new TreeMap<>(caps).entrySet()) {
            String refusal = refusal(c.getKey(), lease, epsilon, c.getValue(), at);
            if (refusal != null) {
                throw new BudgetExceededException(refusal);
            }
        }
        // Owners not charged keep their (already sorted) lists.
        Map<UUID, List<LedgerEntry>> next = new TreeMap<>(byOwner);
        for (UUID owner : caps.keySet()) {
            List<LedgerEntry> list = new ArrayList<>(entriesOf(owner));
            list.add(new LedgerEntry(owner, lease, at, epsilon));
            next.put(owner, sorted(list));
        }
        return new PrivacyLedger(Collections.unmodifiableMap(next));
    }

    private String refusal(UUID owner, UUID lease, double epsilon, OwnerCaps caps, Instant at) {
        History history = history(owner);
        BigDecimal eps = BigDecimal.valueOf(Checks.positive("epsilon", epsilon));
        if (history.leaseSum(lease).add(eps).compareTo(BigDecimal.valueOf(caps.epsilonPerLease())) > 0) {
            return "a charge of ε " + epsilon + " would exceed an owner's per-lease cap of " + caps.epsilonPerLease();
        }
        BigDecimal yearly = BigDecimal.valueOf(caps.epsilonPerYear());
        // Every window containing `at` ends at `at` or at a later charge less than a year after it;
        // the sum of any window is at most that of the window ending at its own last charge.
        if (history.windowSum(at).add(eps).compareTo(yearly) > 0) {
            return "a charge of ε " + epsilon + " would exceed an owner's yearly cap of " + caps.epsilonPerYear();
        }
        Instant horizon = at.plus(YEAR);
        for (int i = history.firstAfter(at); i < history.size() && history.at(i).isBefore(horizon); i++) {
            if (history.windowSum(history.at(i)).add(eps).compareTo(yearly) > 0) {
                return "a charge of ε " + epsilon + " would exceed an owner's yearly cap of " + caps.epsilonPerYear();
            }
        }
        return null;
    }

    private History history(UUID owner) {
        return histories.computeIfAbsent(owner, o -> new History(entriesOf(o)));
    }

    /** One owner's time-sorted charges with exact running sums. */
    private static final class History {
        private final Instant[] times;
        /** {@code prefix[i]} is the exact sum of the first {@code i} charges. */
        private final BigDecimal[] prefix;
        private final Map<UUID, BigDecimal> byLease = new HashMap<>();

        History(List<LedgerEntry> sortedEntries) {
            times = new Instant[sortedEntries.size()];
            prefix = new BigDecimal[sortedEntries.size() + 1];
            prefix[0] = BigDecimal.ZERO;
            for (int i = 0; i < times.length; i++) {
                LedgerEntry e = sortedEntries.get(i);
                BigDecimal eps = BigDecimal.valueOf(e.epsilon());
                times[i] = e.at();
                prefix[i + 1] = prefix[i].add(eps);
                byLease.merge(e.lease(), eps, BigDecimal::add);
            }
        }

        int size() {
            return times.length;
        }

        Instant at(int i) {
            return times[i];
        }

        /** Index of the first charge strictly after {@code t}. */
        int firstAfter(Instant t) {
            int lo = 0;
            int hi = times.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (times[mid].isAfter(t)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        /** Exact sum of the charges in {@code (end − 365 days, end]}. */
        BigDecimal windowSum(Instant end) {
            return prefix[firstAfter(end)].subtract(prefix[firstAfter(end.minus(YEAR))]);
        }

        BigDecimal leaseSum(UUID lease) {
            return byLease.getOrDefault(lease, BigDecimal.ZERO);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrivacyLedger other && byOwner.equals(other.byOwner);
    }

    @Override
    public int hashCode() {
        return byOwner.hashCode();
    }

    @Override
    public String toString() {
        return "PrivacyLedger" + byOwner;
    }
}
