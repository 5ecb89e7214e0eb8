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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.consent.OwnerAttributes;
import org.vitalvault.policy.consent.Sex;
import org.vitalvault.vault.auth.VaultSecrets;

/**
 * The attributes owners chose to share, read fresh at every call (like grants): a withdrawn
 * attribute stops selecting the owner at the next decision. Stored sealed under the vault's
 * attributes key ({@link AttributeSeal}, docs/decisions/037); rows from before V14 hold the plaintext
 * columns until the start-up backfill ({@link #sealPlaintext}) seals them.
 *
 * <p>JDBC because a lease decision reads every candidate owner's attributes: one statement bound to
 * one uuid array, where an ORM IN list would bind one parameter per owner.
 */
@ApplicationScoped
public class SharedAttributesStore {

    /** The row of {@code vault_secret} that holds the attributes key. */
    public static final String KEY_NAME = "shared-attributes";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    VaultSecrets secrets;

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
                "select owner_id, age_band, sex, region, sealed from owner_shared_attributes where owner_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", owners.toArray()));
            byte[] key = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID owner = rs.getObject(1, UUID.class);
                    byte[] sealed = rs.getBytes(5);
                    if (sealed == null) {
                        shared.put(owner, read(rs));
                    } else {
                        key = key == null ? secrets.secret(KEY_NAME) : key;
                        shared.put(owner, AttributeSeal.open(key, owner, sealed));
                    }
                }
            } finally {
                if (key != null) {
                    Arrays.fill(key, (byte) 0);
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
            byte[] key = secrets.secret(KEY_NAME);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into owner_shared_attributes (owner_id, age_band, sex, region, sealed, updated_at)
                    values (?, null, null, null, ?, ?)
                    on conflict (owner_id) do update set age_band = null, sex = null, region = null,
                        sealed = excluded.sealed, updated_at = excluded.updated_at
                    """)) {
                ps.setObject(1, owner);
                ps.setBytes(2, AttributeSeal.seal(key, owner, attributes));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.executeUpdate();
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing shared attributes failed", e);
        }
    }

    /**
     * Upgrade from before V14: seals up to {@code limit} rows still in plaintext and nulls the
     * plaintext, on {@code c}; rows another transaction holds are skipped. Returns how many.
     */
    public int sealPlaintext(Connection c, int limit) throws SQLException {
        Map<UUID, OwnerAttributes> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select owner_id, age_band, sex, region from owner_shared_attributes where sealed is null
                 limit ? for update skip locked
                """)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getObject(1, UUID.class), read(rs));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        byte[] key = secrets.secret(KEY_NAME);
        try (PreparedStatement up = c.prepareStatement("""
                update owner_shared_attributes set sealed = ?, age_band = null, sex = null, region = null where owner_id = ?
                """)) {
            for (Map.Entry<UUID, OwnerAttributes> row : rows.entrySet()) {
                up.setBytes(1, AttributeSeal.seal(key, row.getKey(), row.getValue()));
                up.setObject(2, row.getKey());
                up.addBatch();
            }
            up.executeBatch();
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        return rows.size();
    }

    private static OwnerAttributes read(ResultSet rs) throws SQLException {
        String band = rs.getString(2);
        String sex = rs.getString(3);
        return new OwnerAttributes(band == null ? null : AgeBand.valueOf(band), sex == null ? null : Sex.valueOf(sex),
                rs.getString(4));
    }
}
