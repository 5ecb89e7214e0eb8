package org.vitalvault.vault.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * An owner's chain of the transparency log checked the way the owner's verifier will check it
 * (decision 050): seq 1, 2, 3, … without a gap, each entry's {@code prev} the commitment of the one
 * before (null for the first), {@code v}, {@code log} and {@code owner} as they must be; and the
 * log's high-water mark, to show that an attempt left nothing behind.
 */
@ApplicationScoped
public class AuditChains {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    @Inject
    ObjectMapper mapper;

    @Inject
    VaultConfig config;

    /** The owner's entries, in seq order, after checking the chain links every one of them. */
    public List<JsonNode> verified(UUID owner) {
        List<JsonNode> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select seq, sealed from audit_owner_entry where owner_id = ? order by seq")) {
            ps.setObject(1, owner);
            byte[] previous = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] plain = seal.openBytes(owner, OwnerTextSeal.Purpose.AUDIT_ENTRY, rs.getBytes(2));
                    byte[] salt = Arrays.copyOf(plain, AuditCommitment.SALT_SIZE);
                    byte[] entry = Arrays.copyOfRange(plain, AuditCommitment.SALT_SIZE, plain.length);
                    JsonNode json = mapper.readTree(entry);
                    long seq = out.size() + 1;
                    assertEquals(seq, rs.getLong(1), "the owner's seqs run 1, 2, 3, … without a gap");
                    assertEquals(seq, json.get("seq").asLong(), "the entry says its own seq");
                    assertEquals(1, json.get("v").asInt());
                    assertEquals(config.audit().origin(), json.get("log").asText());
                    assertEquals(owner.toString(), json.get("owner").asText());
                    if (previous == null) {
                        assertNull(json.get("prev").textValue(), "the first entry has no prev");
                    } else {
                        assertArrayEquals(previous, Base64.getDecoder().decode(json.get("prev").asText()),
                                "prev is the commitment of the owner's previous entry");
                    }
                    previous = AuditCommitment.of(salt, entry);
                    out.add(json);
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The owner's verified entries of {@code kind}. */
    public List<JsonNode> verified(UUID owner, String kind) {
        return verified(owner).stream().filter(e -> e.get("kind").asText().equals(kind)).toList();
    }

    /** The highest entry id anywhere in the log (entries, queued and integrated commitments). */
    public long mark() {
        return single("select coalesce(max(entry_id), 0) from (select entry_id from audit_owner_entry"
                + " union all select entry_id from audit_deployment_entry union all select entry_id from audit_pending"
                + " union all select entry_id from audit_leaf) x", null);
    }

    /** How many rows of the log — entries, queued or integrated commitments — came after {@code mark}. */
    public long since(long mark) {
        return single("select (select count(*) from audit_owner_entry where entry_id > " + mark + ")"
                + " + (select count(*) from audit_deployment_entry where entry_id > " + mark + ")"
                + " + (select count(*) from audit_pending where entry_id > " + mark + ")"
                + " + (select count(*) from audit_leaf where entry_id > " + mark + ")", null);
    }

    /** Rows of the owner's chain head (audit_owner_chain). */
    public long chainHeads(UUID owner) {
        return single("select count(*) from audit_owner_chain where owner_id = ?", owner);
    }

    /** Every byte of the owner's entries and of every deployment entry, as text, to search for what must not be there. */
    public String everything(UUID owner) {
        StringBuilder all = new StringBuilder();
        verified(owner).forEach(e -> all.append(e).append('\n'));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select entry from audit_deployment_entry");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.append(new String(rs.getBytes(1), StandardCharsets.UTF_8)).append('\n');
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return all.toString();
    }

    /** Asserts that none of {@code secrets} appears in any of the owner's entries nor any deployment entry. */
    public void assertNoneContains(UUID owner, String... secrets) {
        String all = everything(owner);
        for (String s : secrets) {
            assertFalse(all.contains(s), "the log holds " + s);
        }
    }

    private long single(String sql, UUID param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setObject(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
