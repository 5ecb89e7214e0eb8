package org.vitalvault.deploy.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
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
import org.vitalvault.tlog.Node;
import org.vitalvault.tlog.NodeHash;
import org.vitalvault.tlog.NodeReader;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.tlog.SignedNote;

/**
 * A transparency log in memory, built with core's tlog exactly as the vault builds it (entry JSON,
 * salted commitments, RFC 9162 tree, C2SP signed checkpoints), that answers as
 * {@code GET /owners/{id}/audit} does (DESIGN-17's shape). It lets the browser's verifier be
 * tested on answers a test can take apart, without the vault's endpoints.
 */
final class SyntheticAuditLog {

    static final String ORIGIN = "vitalvault.local/audit";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();

    /** One of the owner's entries as logged. */
    record Logged(long seq, long leafIndex, byte[] entry, byte[] salt, byte[] commitment) {
    }

    private final Map<Node, byte[]> nodes = new HashMap<>();
    private final NodeReader reader = list -> list.stream().map(n -> {
        byte[] h = nodes.get(n);
        if (h == null) {
            throw new IllegalStateException("no node " + n);
        }
        return h;
    }).toList();
    private final Frontier frontier = Frontier.empty();
    private final Ed25519PrivateKeyParameters signingKey;
    private final NoteKey key;
    private final SecureRandom random = new SecureRandom();
    final UUID owner = UUID.randomUUID();
    final List<Logged> mine = new ArrayList<>();

    SyntheticAuditLog() {
        this(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    private SyntheticAuditLog(Ed25519PrivateKeyParameters signingKey) {
        this.signingKey = signingKey;
        this.key = NoteKey.of(ORIGIN, signingKey.generatePublicKey().getEncoded());
    }

    /**
     * The checkpoint of {@code size} as a forger signs it: the log's key name and key id, but an
     * Ed25519 signature by another key.
     */
    String forgedCheckpoint(long size) {
        String text = new Checkpoint(ORIGIN, size, root(size)).text();
        Ed25519PrivateKeyParameters forger = new Ed25519PrivateKeyParameters(new SecureRandom());
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, forger);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.update(bytes, 0, bytes.length);
        byte[] idAndSig = new byte[68];
        System.arraycopy(key.keyId(), 0, idAndSig, 0, 4);
        System.arraycopy(s.generateSignature(), 0, idAndSig, 4, 64);
        return text + "\n\u2014 " + key.name() + " " + B64.encodeToString(idAndSig) + "\n";
    }

    String verifierKey() {
        return key.verifierKey();
    }

    long size() {
        return frontier.size();
    }

    /** Someone else's entry: a commitment the owner cannot open. */
    SyntheticAuditLog other(int count) {
        for (int i = 0; i < count; i++) {
            byte[] c = new byte[32];
            random.nextBytes(c);
            append(c);
        }
        return this;
    }

    /** The owner's next entry of {@code kind}. */
    SyntheticAuditLog mine(String kind, Map<String, ?> details) {
        return mineCrafted(kind, details, java.util.function.UnaryOperator.identity());
    }

    /**
     * The owner's next entry, its JSON text rewritten by {@code craft} before it is committed to:
     * bytes an operator chose, honestly logged.
     */
    SyntheticAuditLog mineCrafted(String kind, Map<String, ?> details, java.util.function.UnaryOperator<String> craft) {
        long seq = mine.size() + 1L;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("v", 1);
        e.put("log", ORIGIN);
        e.put("kind", kind);
        e.put("at", Instant.parse("2026-12-02T10:00:00Z").plusSeconds(seq * 60).toString());
        e.put("owner", owner.toString());
        e.put("seq", seq);
        e.put("prev", mine.isEmpty() ? null : B64.encodeToString(mine.get(mine.size() - 1).commitment()));
        e.put("details", details);
        byte[] entry;
        try {
            entry = craft.apply(JSON.writeValueAsString(e)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalArgumentException(ex);
        }
        byte[] salt = AuditCommitment.newSalt();
        byte[] c = AuditCommitment.of(salt, entry);
        mine.add(new Logged(seq, frontier.size(), entry, salt, c));
        append(c);
        return this;
    }

    private void append(byte[] commitment) {
        for (NodeHash n : frontier.append(MerkleHash.leaf(commitment))) {
            nodes.put(n.node(), n.hash());
        }
    }

    byte[] root(long size) {
        return MerkleProofs.root(size, reader);
    }

    /** The checkpoint of the first {@code size} leaves, signed by this log's key. */
    String checkpoint(long size) {
        return checkpointClaiming(size, root(size));
    }

    /** A checkpoint signed by this log's key for whatever root it is given. */
    String checkpointClaiming(long size, byte[] root) {
        String text = new Checkpoint(ORIGIN, size, root).text();
        return SignedNote.sign(text, key, bytes -> {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, signingKey);
            s.update(bytes, 0, bytes.length);
            return s.generateSignature();
        });
    }

    /**
     * The answer of {@code GET /owners/{owner}/audit?afterSeq=0&since=…} with every entry, against the
     * checkpoint of {@code size}; a consistency proof from {@code since} when given.
     */
    ObjectNode answer(long size, Long since) {
        ObjectNode a = JSON.createObjectNode();
        a.put("log", ORIGIN);
        a.put("verifierKey", verifierKey());
        a.put("checkpoint", checkpoint(size));
        a.put("treeSize", size);
        a.put("rootHash", B64.encodeToString(root(size)));
        if (since == null || since > size) {
            a.putNull("consistency");
        } else {
            ObjectNode c = a.putObject("consistency");
            c.put("fromSize", since);
            c.put("toSize", size);
            ArrayNode proof = c.putArray("proof");
            MerkleProofs.consistency(since, size, reader).forEach(p -> proof.add(B64.encodeToString(p)));
        }
        ArrayNode entries = a.putArray("entries");
        for (Logged l : mine) {
            ObjectNode e = entries.addObject();
            e.put("seq", l.seq());
            e.put("entryId", 1000 + l.leafIndex());
            e.put("leafIndex", l.leafIndex());
            e.put("entry", B64.encodeToString(l.entry()));
            e.put("salt", B64.encodeToString(l.salt()));
            e.put("commitment", B64.encodeToString(l.commitment()));
            if (l.leafIndex() < size) {
                ArrayNode proof = e.putArray("inclusionProof");
                MerkleProofs.inclusion(l.leafIndex(), size, reader).forEach(p -> proof.add(B64.encodeToString(p)));
            } else {
                e.putNull("inclusionProof");
            }
        }
        a.put("pending", 0);
        a.put("lastSeq", mine.size());
        a.putNull("nextAfterSeq");
        return a;
    }

    /** What the browser keeps after checking the checkpoint of {@code size} (verifyAudit's newHeld). */
    ObjectNode held(long size, String verifiedAt) {
        ObjectNode h = JSON.createObjectNode();
        h.put("verifierKey", verifierKey());
        h.put("note", checkpoint(size));
        h.put("size", String.valueOf(size));
        h.put("root", B64.encodeToString(root(size)));
        h.put("verifiedAt", verifiedAt);
        Logged last = null;
        for (Logged l : mine) {
            if (l.leafIndex() < size) {
                last = l;
            }
        }
        h.put("seq", last == null ? 0 : last.seq());
        if (last == null) {
            h.putNull("commitment");
        } else {
            h.put("commitment", B64.encodeToString(last.commitment()));
        }
        return h;
    }

    /** {@code base64} of the UTF-8 {@code text}. */
    static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
