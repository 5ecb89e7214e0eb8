package org.vitalvault.vault.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * The transparency log's rows as a whole, for tests of the events that append to it: a mark before an
 * event and what was appended after it (entries and queued commitments alike), and an owner's chain
 * checked link by link.
 */
@ApplicationScoped
public class AuditChains {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    /** The highest entry id on record now (owner, deployment or queued). */
    public long mark() {
        return one("select greatest((select coalesce(max(entry_id), 0) from audit_owner_entry),"
                + " (select coalesce(max(entry_id), 0) from audit_deployment_entry),"
                + " (select coalesce(max(entry_id), 0) from audit_pending))", 0);
    }

    /** Rows of owner entries, deployment entries and queued commitments with an id above {@code mark}. */
    public long rowsAfter(long mark) {
        return one("select (select count(*) from audit_owner_entry where entry_id > ?)"
                + " + (select count(*) from audit_deployment_entry where entry_id > ?)"
                + " + (select count(*) from audit_pending where entry_id > ?)", mark);
    }

    /**
     * Checks the owner's whole chain: seqs 1, 2, … without a gap, each entry naming the owner and its seq,
     * and each {@code prev} the base64 commitment of the entry before it (null for the first).
     *
     * @return the chain's length
     */
    public int assertChained(UUID owner) {
        String prev = null;
        int n = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select seq, sealed from audit_owner_entry where owner_id = ? order by seq")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                    assertEquals(n, rs.getLong(1), "seqs of owner " + owner + " run 1, 2, … without a gap");
                    byte[] plain = seal.openBytes(owner, OwnerTextSeal.Purpose.AUDIT_ENTRY, rs.getBytes(2));
                    byte[] salt = Arrays.copyOf(plain, AuditCommitment.SALT_SIZE);
                    byte[] entry = Arrays.copyOfRange(plain, AuditCommitment.SALT_SIZE, plain.length);
                    String text = new String(entry, StandardCharsets.UTF_8);
                    String expectedPrev = prev == null ? "\"prev\":null" : "\"prev\":\"" + prev + "\"";
                    assertEquals(true, text.contains("\"owner\":\"" + owner + "\",\"seq\":" + n + "," + expectedPrev),
                            "entry " + n + " of owner " + owner + " links to the one before: " + text);
                    prev = Base64.getEncoder().encodeToString(AuditCommitment.of(salt, entry));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }

    private long one(String sql, long param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= sql.chars().filter(ch -> ch == '?').count(); i++) {
                ps.setLong(i, param);
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
