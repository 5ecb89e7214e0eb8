package org.vitalvault.researcher.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.Frontier;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MerkleProofs;
import org.vitalvault.tlog.MissingNodeException;
import org.vitalvault.tlog.Node;
import org.vitalvault.tlog.NodeHash;
import org.vitalvault.tlog.NodeReader;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.tlog.SignedNote;

/**
 * A transparency log built in memory with core's own pieces, as the vault builds it: owner entries
 * chained by seq and prev, salted commitments, leaves interleaved with other owners' entries, a
 * checkpoint signed by the log's key, and the {@code GET /owners/{id}/audit} JSON of DESIGN-17.
 */
final class AuditLogFixture {

    static final String ORIGIN = "vitalvault.local/audit";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One entry of the log as the vault keeps it. */
    record Entry(UUID owner, long seq, byte[] entry, byte[] salt, byte[] commitment, long leafIndex) {
    }

    final Ed25519PrivateKeyParameters privateKey;
    final NoteKey key;
    final List<Entry> leaves = new ArrayList<>();
    private final Map<Node, byte[]> nodes = new HashMap<>();
    private final Frontier frontier = Frontier.empty();
    private final Map<UUID, Entry> lastOf = new HashMap<>();

    final NodeReader reader = wanted -> {
        List<byte[]> out = new ArrayList<>();
        for (Node n : wanted) {
            byte[] h = nodes.get(n);
            if (h == null) {
                throw new MissingNodeException("no node " + n);
            }
            out.add(h);
        }
        return out;
    };

    AuditLogFixture() {
        this(new Ed25519PrivateKeyParameters(RANDOM));
    }

    /** A log signed with {@code privateKey} (an operator holding the vault's key can build another). */
    AuditLogFixture(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.key = NoteKey.of(ORIGIN, privateKey.generatePublicKey().getEncoded());
    }

    /** Appends one owner entry (next seq, prev = the owner's last commitment) as the next leaf. */
    Entry append(UUID owner, String kind) {
        Entry last = lastOf.get(owner);
        long seq = last == null ? 1 : last.seq() + 1;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("v", 1);
        e.put("log", ORIGIN);
        e.put("kind", kind);
        e.put("at", "2026-12-02T17:00:0" + (leaves.size() % 10) + "Z");
        e.put("owner", owner.toString());
        e.put("seq", seq);
        e.put("prev", last == null ? null : Base64.getEncoder().encodeToString(last.commitment()));
        e.put("details", Map.of("leaseId", UUID.randomUUID().toString(), "count", 3));
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        return appendRaw(owner, seq, bytes);
    }

    /** Appends a leaf for exactly these entry bytes. */
    Entry appendRaw(UUID owner, long seq, byte[] bytes) {
        byte[] salt = AuditCommitment.newSalt();
        byte[] commitment = AuditCommitment.of(salt, bytes);
        Entry entry = new Entry(owner, seq, bytes, salt, commitment, frontier.size());
        for (NodeHash n : frontier.append(MerkleHash.leaf(commitment))) {
            nodes.put(n.node(), n.hash());
        }
        leaves.add(entry);
        if (owner != null) {
            lastOf.put(owner, entry);
        }
        return entry;
    }

    /** A deployment entry (no owner) as the next leaf. */
    void appendDeployment() {
        appendRaw(null, 0, "{\"v\":1,\"log\":\"vitalvault.local/audit\",\"kind\":\"LEASE_APPROVED\",\"details\":{}}"
                .getBytes(StandardCharsets.UTF_8));
    }

    long size() {
        return frontier.size();
    }

    Checkpoint checkpoint(long size) {
        return new Checkpoint(ORIGIN, size, MerkleProofs.root(size, reader));
    }

    /** The checkpoint of {@code size} signed by the log's key. */
    String signedCheckpoint(long size) {
        return sign(checkpoint(size), privateKey, key);
    }

    static String sign(Checkpoint cp, Ed25519PrivateKeyParameters privateKey, NoteKey key) {
        return SignedNote.sign(cp.text(), key, message -> {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, privateKey);
            s.update(message, 0, message.length);
            return s.generateSignature();
        });
    }

    List<Entry> entriesOf(UUID owner) {
        return leaves.stream().filter(e -> owner.equals(e.owner())).toList();
    }

    /**
     * The owner's audit as the vault answers it against the checkpoint of {@code size}, with a
     * consistency proof from {@code since} when not null.
     */
    ObjectNode response(UUID owner, long size, Long since) {
        ObjectNode r = JSON.createObjectNode();
        Checkpoint cp = checkpoint(size);
        r.put("log", ORIGIN);
        r.put("verifierKey", key.verifierKey());
        r.put("checkpoint", signedCheckpoint(size));
        r.put("treeSize", size);
        r.put("rootHash", b64(cp.rootHash()));
        if (since == null || since > size) {
            r.putNull("consistency");
        } else {
            ObjectNode c = r.putObject("consistency");
            c.put("fromSize", since);
            c.put("toSize", size);
            hashes(c.putArray("proof"), MerkleProofs.consistency(since, size, reader));
        }
        ArrayNode entries = r.putArray("entries");
        List<Entry> mine = entriesOf(owner);
        int pending = 0;
        for (Entry e : mine) {
            ObjectNode j = entries.addObject();
            j.put("seq", e.seq());
            j.put("entryId", e.leafIndex() + 100);
            j.put("entry", b64(e.entry()));
            j.put("salt", b64(e.salt()));
            j.put("commitment", b64(e.commitment()));
            if (e.leafIndex() < size) {
                j.put("leafIndex", e.leafIndex());
                hashes(j.putArray("inclusionProof"), MerkleProofs.inclusion(e.leafIndex(), size, reader));
            } else {
                // Integrated after the checkpoint: the leaf index is known, a proof is not.
                j.put("leafIndex", e.leafIndex());
                j.putNull("inclusionProof");
                pending++;
            }
        }
        r.put("pending", pending);
        r.put("lastSeq", mine.isEmpty() ? 0 : mine.get(mine.size() - 1).seq());
        r.putNull("nextAfterSeq");
        return r;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static void hashes(ArrayNode array, List<byte[]> hashes) {
        hashes.forEach(h -> array.add(b64(h)));
    }
}
