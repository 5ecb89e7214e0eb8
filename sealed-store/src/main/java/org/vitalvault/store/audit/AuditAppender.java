package org.vitalvault.store.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.vitalvault.tlog.AuditCommitment;

/**
 * Appends entries to the transparency log inside the caller's transaction (V21,
 * docs/decisions/050): the entry row and its queued commitment commit or roll back with the event
 * they record. The leaf index comes later, from {@link AuditIntegrator}.
 *
 * <p>An owner's entries form a chain: the transaction locks the owner's chain head (owners in id
 * order, so two transactions appending for overlapping owners cannot deadlock), numbers the entry
 * {@code seq = last + 1} and hands the previous entry's commitment to the entry's body. A constant
 * number of statements whatever the number of owners: a research query appends one entry for each of
 * thousands of included owners.
 */
public final class AuditAppender {

    /** The bytes of an owner's entry, once its place in the owner's chain is known. */
    @FunctionalInterface
    public interface OwnerEntryBody {
        /** @param previousCommitment the commitment of the owner's entry {@code seq - 1}, or null for the first */
        byte[] entry(UUID owner, long seq, byte[] previousCommitment);
    }

    /** Seals {@code plains.get(i)} (salt || entry) to {@code owners.get(i)}. */
    @FunctionalInterface
    public interface EntrySealer {
        byte[][] seal(List<UUID> owners, List<byte[]> plains);
    }

    /** One appended entry: what the owner will receive, and its commitment. */
    public record Appended(UUID owner, long entryId, long seq, byte[] salt, byte[] entry, byte[] commitment) {
    }

    /*
     * "not exists" first: an owner's chain head exists from their first entry on, and a plain index
     * probe is cheaper than an attempted insert (ON CONFLICT still settles a head another
     * transaction is creating right now).
     */
    private static final String ENSURE_CHAINS = "insert into audit_owner_chain (owner_id, last_seq)"
            + " select o, 0 from unnest(?::uuid[]) as u(o)"
            + " where not exists (select 1 from audit_owner_chain c where c.owner_id = u.o)"
            + " order by o on conflict (owner_id) do nothing";
    private static final String LOCK_CHAINS = "select owner_id, last_seq, last_commitment from audit_owner_chain"
            + " where owner_id = any(?::uuid[]) order by owner_id for update";
    private static final String NEW_IDS = "select nextval('audit_entry_id_seq') from generate_series(1, ?)";
    private static final String WRITE = "with e as ("
            + " insert into audit_owner_entry (owner_id, entry_id, seq, sealed)"
            + " select * from unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::bytea[])),"
            + " p as (insert into audit_pending (entry_id, commitment) select * from unnest(?::bigint[], ?::bytea[]))"
            + " update audit_owner_chain c set last_seq = u.s, last_commitment = u.m"
            + " from unnest(?::uuid[], ?::bigint[], ?::bytea[]) as u(o, s, m) where c.owner_id = u.o";
    private static final String WRITE_DEPLOYMENT = "with id as (select nextval('audit_entry_id_seq') as v),"
            + " d as (insert into audit_deployment_entry (entry_id, kind, at, salt, entry) select v, ?, ?, ?, ? from id)"
            + " insert into audit_pending (entry_id, commitment) select v, ? from id returning entry_id";

    private AuditAppender() {
    }

    /**
     * Appends one entry for each of {@code owners} (duplicates count once), in the transaction of
     * {@code c} (auto-commit off, or a JTA-enlisted connection).
     */
    public static List<Appended> appendForOwners(Connection c, Collection<UUID> owners, OwnerEntryBody body,
                                                 EntrySealer sealer) throws SQLException {
        List<UUID> sorted = new ArrayList<>(new TreeSet<>(owners));
        if (sorted.isEmpty()) {
            return List.of();
        }
        Array ownerArray = c.createArrayOf("uuid", sorted.toArray());
        try (PreparedStatement ps = c.prepareStatement(ENSURE_CHAINS)) {
            ps.setArray(1, ownerArray);
            ps.executeUpdate();
        }
        Map<UUID, Long> lastSeq = new HashMap<>();
        Map<UUID, byte[]> lastCommitment = new HashMap<>();
        lockChains(c, ownerArray, lastSeq, lastCommitment);
        long[] ids = newIds(c, sorted.size());
        int n = sorted.size();
        List<Appended> out = new ArrayList<>(n);
        List<byte[]> plains = new ArrayList<>(n);
        byte[][] salts = AuditCommitment.newSalts(n);
        for (int i = 0; i < n; i++) {
            UUID o = sorted.get(i);
            Long last = lastSeq.get(o);
            if (last == null) {
                throw new SQLException("audit chain of owner " + o + " was not locked");
            }
            long seq = last + 1;
            byte[] entry = body.entry(o, seq, lastCommitment.get(o));
            byte[] salt = salts[i];
            out.add(new Appended(o, ids[i], seq, salt, entry, AuditCommitment.of(salt, entry)));
            byte[] plain = new byte[salt.length + entry.length];
            System.arraycopy(salt, 0, plain, 0, salt.length);
            System.arraycopy(entry, 0, plain, salt.length, entry.length);
            plains.add(plain);
        }
        byte[][] sealed = sealer.seal(sorted, plains);
        Object[] entryIds = new Object[n];
        Object[] seqs = new Object[n];
        byte[][] commitments = new byte[n][];
        for (int i = 0; i < n; i++) {
            entryIds[i] = out.get(i).entryId();
            seqs[i] = out.get(i).seq();
            commitments[i] = out.get(i).commitment();
        }
        Array idArray = c.createArrayOf("bigint", entryIds);
        Array seqArray = c.createArrayOf("bigint", seqs);
        Array commitmentArray = c.createArrayOf("bytea", commitments);
        try (PreparedStatement ps = c.prepareStatement(WRITE)) {
            ps.setArray(1, ownerArray);
            ps.setArray(2, idArray);
            ps.setArray(3, seqArray);
            ps.setArray(4, c.createArrayOf("bytea", sealed));
            ps.setArray(5, idArray);
            ps.setArray(6, commitmentArray);
            ps.setArray(7, ownerArray);
            ps.setArray(8, seqArray);
            ps.setArray(9, commitmentArray);
            ps.executeUpdate();
        }
        return out;
    }

    /** Appends one entry about no single owner (it must hold no personal data: it is kept plain). */
    public static Appended appendDeployment(Connection c, String kind, Instant at, byte[] entry) throws SQLException {
        byte[] salt = AuditCommitment.newSalt();
        byte[] commitment = AuditCommitment.of(salt, entry);
        try (PreparedStatement ps = c.prepareStatement(WRITE_DEPLOYMENT)) {
            ps.setString(1, kind);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setBytes(3, salt);
            ps.setBytes(4, entry);
            ps.setBytes(5, commitment);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Appended(null, rs.getLong(1), 0, salt, entry, commitment);
            }
        }
    }

    private static void lockChains(Connection c, Array owners, Map<UUID, Long> lastSeq, Map<UUID, byte[]> lastCommitment)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK_CHAINS)) {
            ps.setArray(1, owners);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID o = rs.getObject(1, UUID.class);
                    lastSeq.put(o, rs.getLong(2));
                    lastCommitment.put(o, rs.getBytes(3));
                }
            }
        }
    }

    private static long[] newIds(Connection c, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement(NEW_IDS)) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < n; i++) {
                    rs.next();
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }
}
