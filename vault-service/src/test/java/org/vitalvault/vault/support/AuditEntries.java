package org.vitalvault.vault.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * What the transparency log holds, read straight from its tables (queued or integrated alike), for
 * tests that check an event appended its entry in its own transaction. Every owner entry is opened
 * and its commitment recomputed, so a test also sees that what was queued commits to what was kept.
 */
@ApplicationScoped
public class AuditEntries {

    /** One entry as stored: its parsed bytes and whether its queued or integrated commitment matches. */
    public record Entry(long entryId, long seq, JsonNode json) {
        public String kind() {
            return json.get("kind").asText();
        }

        public JsonNode details() {
            return json.get("details");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    @Inject
    ObjectMapper mapper;

    /** The owner's entries in seq order. */
    public List<Entry> ofOwner(UUID owner) {
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select e.entry_id, e.seq, e.sealed, p.commitment"
                     + " from audit_owner_entry e left join audit_pending p using (entry_id)"
                     + " where e.owner_id = ? order by e.seq")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] plain = seal.openBytes(owner, OwnerTextSeal.Purpose.AUDIT_ENTRY, rs.getBytes(3));
                    byte[] salt = Arrays.copyOf(plain, AuditCommitment.SALT_SIZE);
                    byte[] entry = Arrays.copyOfRange(plain, AuditCommitment.SALT_SIZE, plain.length);
                    byte[] queued = rs.getBytes(4);
                    if (queued != null && !Arrays.equals(queued, AuditCommitment.of(salt, entry))) {
                        throw new AssertionError("queued commitment of entry " + rs.getLong(1) + " does not match its bytes");
                    }
                    out.add(new Entry(rs.getLong(1), rs.getLong(2), mapper.readTree(entry)));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The owner's entries of {@code kind}, in seq order. */
    public List<Entry> ofOwner(UUID owner, String kind) {
        return ofOwner(owner).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** Every deployment entry of {@code kind}, in entry id order. */
    public List<Entry> deployment(String kind) {
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select entry_id, entry from audit_deployment_entry where kind = ? order by entry_id")) {
            ps.setString(1, kind);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), 0, mapper.readTree(rs.getBytes(2))));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** All entries ever appended (queued or integrated), owner and deployment. */
    public long count() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select (select count(*) from audit_owner_entry)"
                     + " + (select count(*) from audit_deployment_entry)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
