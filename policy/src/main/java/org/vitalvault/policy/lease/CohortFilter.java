package org.vitalvault.policy.lease;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.Sex;
import org.vitalvault.policy.internal.Checks;

/**
 * Which owners a request is about, beyond their consent: members of one co-op (the request is then
 * addressed to the co-op, see {@link org.vitalvault.policy.consent.Audience}), and coarse attributes
 * the owners chose to share. An empty set means "any"; a non-empty one selects only owners who
 * shared that attribute with a value in the set. A region filter {@code DE} selects {@code DE} and
 * its subdivisions ({@code DE-BY}).
 *
 * @param coop      the co-op the request is addressed to, or {@code null}
 * @param ageBands  age bands selected, empty for any
 * @param sexes     sexes selected, empty for any
 * @param regions   ISO 3166 region codes selected, empty for any
 */
public record CohortFilter(UUID coop, Set<AgeBand> ageBands, Set<Sex> sexes, Set<String> regions) {

    /** Everyone who consented; not addressed to a co-op. */
    public static final CohortFilter ANYONE = new CohortFilter(null, Set.of(), Set.of(), Set.of());

    public CohortFilter {
        ageBands = Checks.enumSet("ageBands", ageBands, AgeBand.class);
        sexes = Checks.enumSet("sexes", sexes, Sex.class);
        regions = regions(regions);
    }

    /** The members of {@code coop}, with no attribute filter. */
    public static CohortFilter membersOf(UUID coop) {
        return new CohortFilter(Checks.given("coop", coop), Set.of(), Set.of(), Set.of());
    }

    /** True when the filter selects on any attribute. */
    public boolean filtersAttributes() {
        return !ageBands.isEmpty() || !sexes.isEmpty() || !regions.isEmpty();
    }

    /** True when an owner who shared {@code shared} ({@code null} = nothing) passes the attribute filter. */
    public boolean admits(OwnerAttributes shared) {
        if (!filtersAttributes()) {
            return true;
        }
        OwnerAttributes a = shared == null ? OwnerAttributes.NONE : shared;
        return (ageBands.isEmpty() || (a.ageBand() != null && ageBands.contains(a.ageBand())))
                && (sexes.isEmpty() || (a.sex() != null && sexes.contains(a.sex())))
                && (regions.isEmpty() || regions.stream().anyMatch(a::isInRegion));
    }

    private static Set<String> regions(Collection<String> regions) {
        TreeSet<String> copy = new TreeSet<>();
        if (regions != null) {
            for (String r : regions) {
                copy.add(new OwnerAttributes(null, null, Checks.given("regions", r)).region());
            }
        }
        return Collections.unmodifiableSortedSet(copy);
    }
}
