package org.vitalvault.vault.audit.tree;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.store.audit.AuditCheckpoints;
import org.vitalvault.store.audit.AuditTree;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.vault.audit.tree.AuditViews.ConsistencyView;
import org.vitalvault.vault.audit.tree.AuditViews.DeploymentAuditView;
import org.vitalvault.vault.audit.tree.AuditViews.DeploymentEntryView;
import org.vitalvault.vault.audit.tree.AuditViews.OwnerAuditView;
import org.vitalvault.vault.audit.tree.AuditViews.OwnerEntryView;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * Pages of the log with their proofs, each read in one REPEATABLE READ snapshot with a constant
 * number of queries whatever the page's size: the latest checkpoint, the page's rows, the counts,
 * one read of every tile all the page's inclusion proofs need ({@link AuditTree#inclusionProofs}),
 * and one for the consistency proof. Proofs are against
 * the latest checkpoint, never the unsigned head, so a verifier checks them against a signed root.
 */
@ApplicationScoped
public class AuditPages {

    private static final Base64.Encoder B64 = Base64.getEncoder();

    private static final String OWNER_ENTRIES = "select e.entry_id, e.seq, e.sealed, l.leaf_index"
            + " from audit_owner_entry e left join audit_leaf l using (entry_id)"
            + " where e.owner_id = ? and e.seq > ? order by e.seq limit ?";
    private static final String OWNER_COUNTS = "select coalesce((select last_seq from audit_owner_chain where owner_id = ?), 0),"
            + " (select count(*) from audit_owner_entry e left join audit_leaf l using (entry_id)"
            + " where e.owner_id = ? and (l.leaf_index is null or l.leaf_index >= ?))";
    private static final String DEPLOYMENT_ENTRIES = "select d.entry_id, d.kind, d.salt, d.entry, l.leaf_index"
            + " from audit_deployment_entry d join audit_leaf l using (entry_id)"
            + " where l.leaf_index > ? order by l.leaf_index limit ?";
    private static final String DEPLOYMENT_PENDING = "select count(*) from audit_deployment_entry d"
            + " left join audit_leaf l using (entry_id) where l.leaf_index is null or l.leaf_index >= ?";

    @Inject
    AuditConnections connections;

    @Inject
    OwnerTextSeal seal;

    @Inject
    LogKey logKey;

    /** The checkpoint every page is against; the empty tree's root before the first. */
    private record Signed(String note, long size, byte[] root) {
        static Signed of(Optional<AuditCheckpoints.Stored> latest) {
            return latest.map(s -> new Signed(s.note(), s.size(), s.rootHash()))
                    .orElse(new Signed(null, 0, MerkleHash.emptyRoot()));
        }
    }

    /** Up to {@code limit} of the owner's entries after {@code afterSeq}; a consistency proof from {@code since} when given. */
    public OwnerAuditView owner(UUID owner, long afterSeq, int limit, Long since) throws SQLException {
        return connections.snapshot(c -> {
            Signed cp = Signed.of(AuditCheckpoints.latest(c));
            record Row(long entryId, long seq, byte[] sealed, Long leafIndex) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(OWNER_ENTRIES)) {
                ps.setObject(1, owner);
                ps.setLong(2, afterSeq);
                ps.setInt(3, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long leaf = rs.getLong(4);
                        Long leafIndex = rs.wasNull() ? null : leaf;
                        rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getBytes(3), leafIndex));
                    }
                }
            }
            boolean more = rows.size() > limit;
            if (more) {
                rows = rows.subList(0, limit);
            }
            long lastSeq;
            long pending;
            try (PreparedStatement ps = c.prepareStatement(OWNER_COUNTS)) {
                ps.setObject(1, owner);
                ps.setObject(2, owner);
                ps.setLong(3, cp.size());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    lastSeq = rs.getLong(1);
                    pending = rs.getLong(2);
                }
            }
            List<Long> proven = new ArrayList<>();
            int[] slots = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                Long leaf = rows.get(i).leafIndex();
                slots[i] = leaf != null && leaf < cp.size() ? proven.size() : -1;
                if (slots[i] >= 0) {
                    proven.add(leaf);
                }
            }
            List<List<byte[]>> proofs = AuditTree.inclusionProofs(c, cp.size(), proven);
            ConsistencyView consistency = since == null || since > cp.size() ? null
                    : new ConsistencyView(since, cp.size(), base64(AuditTree.consistency(c, since, cp.size())));
            List<OwnerEntryView> entries = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                byte[] plain = seal.openBytes(owner, OwnerTextSeal.Purpose.AUDIT_ENTRY, r.sealed());
                byte[] salt = Arrays.copyOf(plain, AuditCommitment.SALT_SIZE);
                byte[] entry = Arrays.copyOfRange(plain, AuditCommitment.SALT_SIZE, plain.length);
                entries.add(new OwnerEntryView(r.seq(), r.entryId(), r.leafIndex(), B64.encodeToString(entry),
                        B64.encodeToString(salt), B64.encodeToString(AuditCommitment.of(salt, entry)),
                        slots[i] < 0 ? null : base64(proofs.get(slots[i]))));
            }
            return new OwnerAuditView(logKey.origin(), logKey.noteKey().verifierKey(), cp.note(), cp.size(),
                    B64.encodeToString(cp.root()), consistency, entries, pending, lastSeq,
                    more ? rows.get(rows.size() - 1).seq() : null);
        });
    }

    /** Up to {@code limit} integrated deployment entries with a leaf index above {@code afterIndex}. */
    public DeploymentAuditView deployment(long afterIndex, int limit) throws SQLException {
        return connections.snapshot(c -> {
            Signed cp = Signed.of(AuditCheckpoints.latest(c));
            record Row(long entryId, String kind, byte[] salt, byte[] entry, long leafIndex) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(DEPLOYMENT_ENTRIES)) {
                ps.setLong(1, afterIndex);
                ps.setInt(2, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4), rs.getLong(5)));
                    }
                }
            }
            boolean more = rows.size() > limit;
            if (more) {
                rows = rows.subList(0, limit);
            }
            long pending;
            try (PreparedStatement ps = c.prepareStatement(DEPLOYMENT_PENDING)) {
                ps.setLong(1, cp.size());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pending = rs.getLong(1);
                }
            }
            List<Long> proven = new ArrayList<>();
            int[] slots = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                long leaf = rows.get(i).leafIndex();
                slots[i] = leaf < cp.size() ? proven.size() : -1;
                if (slots[i] >= 0) {
                    proven.add(leaf);
                }
            }
            List<List<byte[]>> proofs = AuditTree.inclusionProofs(c, cp.size(), proven);
            List<DeploymentEntryView> entries = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                entries.add(new DeploymentEntryView(r.entryId(), r.kind(), r.leafIndex(), B64.encodeToString(r.entry()),
                        B64.encodeToString(r.salt()), B64.encodeToString(AuditCommitment.of(r.salt(), r.entry())),
                        slots[i] < 0 ? null : base64(proofs.get(slots[i]))));
            }
            return new DeploymentAuditView(logKey.origin(), logKey.noteKey().verifierKey(), cp.note(), cp.size(),
                    B64.encodeToString(cp.root()), entries, pending, more ? rows.get(rows.size() - 1).leafIndex() : null);
        });
    }

    /** The checkpoint of exactly {@code to} and the consistency proof from {@code from}; empty when no checkpoint has that size. */
    public Optional<ConsistencyView> consistency(long from, long to) throws SQLException {
        return connections.snapshot(c -> {
            if (AuditCheckpoints.ofSize(c, to).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ConsistencyView(from, to, base64(AuditTree.consistency(c, from, to))));
        });
    }

    /** The latest signed checkpoint's note. */
    public Optional<String> latestCheckpoint() throws SQLException {
        return connections.snapshot(c -> AuditCheckpoints.latest(c).map(AuditCheckpoints.Stored::note));
    }

    private static List<String> base64(List<byte[]> hashes) {
        return hashes.stream().map(B64::encodeToString).toList();
    }
}
