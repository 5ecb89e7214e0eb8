package org.vitalvault.vault.attributes;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.Sex;

/**
 * The attributes owners chose to share, read fresh at every call (like grants): a withdrawn
 * attribute stops selecting the owner at the next decision.
 *
 * <p>JDBC because a lease decision reads every candidate owner's attributes: one statement bound to
 * one uuid array, where an ORM IN list would bind one parameter per owner.
 */
@ApplicationScoped
public class SharedAttributesStore {

    @Inject
    AgroalDataSource dataSource;

    /** What {@code owner} shares; {@link OwnerAttributes#NONE} when nothing. */
    public OwnerAttributes of(UUID owner) {
        return forOwners(java.util.List.of(owner)).getOrDefault(owner, OwnerAttributes.NONE);
    }

    /** The input the policy engine takes: owners who share something, by id; absent = nothing shared. */
    public Map<UUID, OwnerAttributes> forOwners(Collection<UUID> owners) {
        Map<UUID, OwnerAttributes> shared = new HashMap<>();
        if (owners.isEmpty()) {
            return shared;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select owner_id, age_band, sex, region from owner_shared_attributes where owner_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", owners.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    shared.put(rs.getObject(1, UUID.class), read(rs));
                }
            }
            return shared;
        } catch (SQLException e) {
            throw new IllegalStateException("reading shared attributes failed", e);
        }
    }

    /** Replaces what {@code owner} shares; sharing nothing removes the row. */
    public void put(UUID owner, OwnerAttributes attributes, Instant now) {
        boolean none = attributes.ageBand() == null && attributes.sex() == null && attributes.region() == null;
        try (Connection c = dataSource.getConnection()) {
            if (none) {
                try (PreparedStatement ps = c.prepareStatement("delete from owner_shared_attributes where owner_id = ?")) {
                    ps.setObject(1, owner);
                    ps.executeUpdate();
                }
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into owner_shared_attributes (owner_id, age_band, sex, region, updated_at)
                    values (?, ?, ?, ?, ?)
                    on conflict (owner_id) do update set age_band = excluded.age_band, sex = excluded.sex,
                        region = excluded.region, updated_at = excluded.updated_at
                    """)) {
                ps.setObject(1, owner);
                ps.setString(2, attributes.ageBand() == null ? null : attributes.ageBand().name());
                ps.setString(3, attributes.sex() == null ? null : attributes.sex().name());
                ps.setString(4, attributes.region());
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing shared attributes failed", e);
        }
    }

    private static OwnerAttributes read(ResultSet rs) throws SQLException {
        String band = rs.getString(2);
        String sex = rs.getString(3);
        return new OwnerAttributes(band == null ? null : AgeBand.valueOf(band), sex == null ? null : Sex.valueOf(sex),
                rs.getString(4));
    }
}
