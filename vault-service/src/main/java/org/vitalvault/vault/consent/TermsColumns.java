package org.vitalvault.vault.consent;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.vitalvault.policy.consent.AggregateKind;
import org.vitalvault.policy.consent.Granularity;
import org.vitalvault.policy.consent.PriceTier;
import org.vitalvault.policy.consent.Purpose;
import org.vitalvault.policy.consent.Terms;
import org.vitalvault.policy.consent.TimeWindow;

/**
 * The twelve columns that hold a {@link Terms} in {@code consent_grant}, {@code coop} and
 * {@code coop_membership} (V5), in one order. Reading goes back through the {@link Terms}
 * constructor, so a row that breaks the policy's rules fails loudly instead of deciding wrongly.
 *
 * <p>ε is stored as the shortest decimal that reads back as the same double
 * ({@link BigDecimal#valueOf(double)}), so the column is exact and the value round-trips.
 */
public final class TermsColumns {

    /** The column names, in binding order. */
    public static final List<String> NAMES = List.of("purposes", "metrics", "kinds", "finest_granularity", "data_from",
            "data_until", "valid_from", "valid_until", "minimum_cohort", "epsilon_per_lease", "epsilon_per_year", "price_tier");

    /** Comma-separated column names, for INSERT and SELECT lists. */
    public static final String LIST = String.join(", ", NAMES);

    /** As many {@code ?} as there are columns, comma-separated. */
    public static final String PLACEHOLDERS = NAMES.stream().map(n -> "?").collect(Collectors.joining(", "));

    private TermsColumns() {
    }

    /** {@code alias.column as prefixcolumn} for every column, for a SELECT over a join. */
    public static String select(String alias, String prefix) {
        return NAMES.stream().map(n -> alias + "." + n + " as " + prefix + n).collect(Collectors.joining(", "));
    }

    /** Binds {@code t} (or twelve NULLs when {@code t} is null) from parameter {@code index}; returns the next index. */
    public static int bind(Connection c, PreparedStatement ps, int index, Terms t) throws SQLException {
        if (t == null) {
            for (int i = 0; i < NAMES.size(); i++) {
                ps.setNull(index + i, Types.OTHER);
            }
            return index + NAMES.size();
        }
        int i = index;
        ps.setArray(i++, c.createArrayOf("text", t.purposes().stream().map(Enum::name).toArray(String[]::new)));
        ps.setArray(i++, c.createArrayOf("text", t.metrics().toArray(String[]::new)));
        ps.setArray(i++, c.createArrayOf("text", t.kinds().stream().map(Enum::name).toArray(String[]::new)));
        ps.setString(i++, t.granularity().name());
        ps.setObject(i++, timestamp(t.dataWindow().from()));
        ps.setObject(i++, timestamp(t.dataWindow().until()));
        ps.setObject(i++, timestamp(t.validity().from()));
        ps.setObject(i++, timestamp(t.validity().until()));
        ps.setInt(i++, t.minimumCohort());
        ps.setBigDecimal(i++, BigDecimal.valueOf(t.epsilonPerLease()));
        ps.setBigDecimal(i++, BigDecimal.valueOf(t.epsilonPerYear()));
        ps.setString(i++, t.priceTier().name());
        return i;
    }

    /** The terms in columns {@code prefix + name}; {@code null} when they are absent (a member's own terms). */
    public static Terms read(ResultSet rs, String prefix) throws SQLException {
        Array purposes = rs.getArray(prefix + "purposes");
        if (purposes == null) {
            return null;
        }
        return new Terms(
                strings(purposes).stream().map(Purpose::ofCode).collect(Collectors.toSet()),
                Set.copyOf(strings(rs.getArray(prefix + "metrics"))),
                strings(rs.getArray(prefix + "kinds")).stream().map(AggregateKind::of).collect(Collectors.toSet()),
                Granularity.of(rs.getString(prefix + "finest_granularity")),
                new TimeWindow(instant(rs, prefix + "data_from"), instant(rs, prefix + "data_until")),
                new TimeWindow(instant(rs, prefix + "valid_from"), instant(rs, prefix + "valid_until")),
                rs.getInt(prefix + "minimum_cohort"),
                rs.getBigDecimal(prefix + "epsilon_per_lease").doubleValue(),
                rs.getBigDecimal(prefix + "epsilon_per_year").doubleValue(),
                PriceTier.of(rs.getString(prefix + "price_tier")));
    }

    /** A timestamptz parameter. */
    public static OffsetDateTime timestamp(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** A timestamptz column, or null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array a) throws SQLException {
        return Arrays.asList((String[]) a.getArray());
    }
}
