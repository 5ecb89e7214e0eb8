package org.vitalvault.policy.consent;

import java.util.regex.Pattern;

/**
 * The coarse attributes an owner chose to share so that cohort filters can select them. Each one
 * is optional ({@code null} = not shared); an owner who does not share an attribute is never
 * selected by a filter on it, because the vault cannot vouch for it.
 *
 * @param ageBand the owner's age band, or {@code null}
 * @param sex     the owner's administrative sex, or {@code null}
 * @param region  an ISO 3166-1 country code or ISO 3166-2 subdivision code ({@code DE}, {@code DE-BY}), or {@code null}
 */
public record OwnerAttributes(AgeBand ageBand, Sex sex, String region) {

    private static final Pattern REGION = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3})?");

    /** Shares nothing. */
    public static final OwnerAttributes NONE = new OwnerAttributes(null, null, null);

    public OwnerAttributes {
        requireRegion("region", region, true);
    }

    /** Checks a region code as written in attributes and filters. */
    static String requireRegion(String field, String region, boolean nullable) {
        if (region == null && nullable) {
            return null;
        }
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(field + " must be an ISO 3166 code such as DE or DE-BY");
        }
        return region;
    }

    /** True when this region is {@code filterRegion} or lies inside it ({@code DE-BY} lies inside {@code DE}). */
    public boolean isInRegion(String filterRegion) {
        return region != null && (region.equals(filterRegion) || region.startsWith(filterRegion + "-"));
    }
}
