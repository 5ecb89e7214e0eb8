package org.vitalvault.researcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.tlog.AuditCommitment;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.MerkleHash;
import org.vitalvault.tlog.MerkleVerifier;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.tlog.ProofException;
import org.vitalvault.tlog.SignedNote;

/**
 * An owner's offline check of {@code GET /owners/{id}/audit} (issue 17) against the vault's pinned
 * verifier key and, when the owner kept one, an earlier checkpoint:
 * <ol>
 * <li>the checkpoint is signed by the key and names the log the response names; the response's
 * treeSize and rootHash are the checkpoint's;</li>
 * <li>the held checkpoint is signed by the key too, and the new tree extends it: not smaller
 * (else the log was rewound), the same root at the same size (else the vault forked its history),
 * and a consistency proof from the held size otherwise;</li>
 * <li>each entry: its commitment is {@code AuditCommitment.of(salt, entry)}; its bytes are JSON with
 * v 1, this log, this owner and the seq it is listed under; seqs follow each other from
 * {@code afterSeq + 1}; prev is the previous entry's commitment (null for seq 1); and its leaf is in
 * the checkpoint's tree by an inclusion proof — or it is pending when it was integrated after the
 * checkpoint (no proof yet); leaves ascend with seq, and no entry is in the tree after an earlier
 * one that is shown as not integrated (an owner's entries are integrated in the order appended).</li>
 * </ol>
 * Nothing here trusts the response: every field is read defensively and anything malformed is a
 * failure with its reason, never an exception.
 */
public final class AuditVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Entry bytes are read as the app reads them (strict UTF-8, then exactly one JSON value): no
     * trailing content, no duplicate keys, so an entry cannot say one thing here and another there.
     */
    private static final ObjectMapper ENTRY_JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** What became of one check. */
    public enum Status {
        VERIFIED, PENDING, FAILED
    }

    /** One entry's result; {@code reason} says why it failed or why it is pending. */
    public record EntryCheck(long seq, String kind, Long leafIndex, Status status, String reason) {
        public String line() {
            return switch (status) {
                case VERIFIED -> "VERIFIED seq=" + seq + " kind=" + kind + " leaf=" + leafIndex;
                case PENDING -> "PENDING seq=" + seq + " kind=" + kind + " " + reason;
                case FAILED -> "FAILED seq=" + seq + " " + reason;
            };
        }
    }

    /**
     * The owner's last entry as verified before (kept next to the held checkpoint, as the app keeps
     * it): a later answer must show the same entry under that seq, and no fewer entries.
     */
    public record HeldEntry(long seq, byte[] commitment) {
        /** {@code "seq base64"}, one line. */
        public String text() {
            return seq + " " + Base64.getEncoder().encodeToString(commitment) + "\n";
        }

        public static HeldEntry parse(String text) throws ProofException {
            String[] parts = text.trim().split(" ", -1);
            try {
                byte[] c = Base64.getDecoder().decode(parts[1]);
                long seq = Long.parseLong(parts[0]);
                if (parts.length != 2 || seq < 1 || c.length != MerkleHash.SIZE) {
                    throw new IllegalArgumentException();
                }
                return new HeldEntry(seq, c);
            } catch (RuntimeException e) {
                throw new ProofException("the held entry is not 'seq base64-commitment'");
            }
        }
    }

    /**
     * The whole result. {@code checkpointNote} is the verified note (to keep as the next held
     * checkpoint), null when it did not verify; {@code lastEntry} the last entry that verified or is
     * pending (to keep with it), null when none.
     */
    public record Report(String checkpointLine, String consistencyLine, List<EntryCheck> entries, List<String> problems,
            String checkpointNote, Checkpoint checkpoint, HeldEntry lastEntry) {

        /** True when nothing failed (pending entries are allowed). */
        public boolean verified() {
            return problems.isEmpty() && entries.stream().noneMatch(e -> e.status() == Status.FAILED);
        }

        public long count(Status status) {
            return entries.stream().filter(e -> e.status() == status).count();
        }

        /** The first failure's reason, for messages and tests; null when verified. */
        public String firstFailure() {
            if (!problems.isEmpty()) {
                return problems.get(0);
            }
            return entries.stream().filter(e -> e.status() == Status.FAILED).map(EntryCheck::line).findFirst().orElse(null);
        }

        /** Every failure's reason, checkpoint and consistency first. */
        public List<String> failures() {
            List<String> all = new ArrayList<>(problems);
            entries.stream().filter(e -> e.status() == Status.FAILED).map(EntryCheck::line).forEach(all::add);
            return all;
        }

        /** What verify-audit prints: checkpoint, consistency, one line per entry, the verdict. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(checkpointLine);
            out.add(consistencyLine);
            for (String p : problems) {
                if (!p.startsWith("checkpoint") && !p.startsWith("consistency")) {
                    out.add("FAILED " + p);
                }
            }
            entries.forEach(e -> out.add(e.line()));
            out.add((verified() ? "RESULT VERIFIED" : "RESULT FAILED") + " entries=" + entries.size() + " verified="
                    + count(Status.VERIFIED) + " pending=" + count(Status.PENDING) + " failed="
                    + (count(Status.FAILED) + problems.size()));
            return out;
        }
    }

    private AuditVerifier() {
    }

    /** {@link #verify(JsonNode, NoteKey, String, UUID, long)} from the response's text. */
    public static Report verify(String responseJson, NoteKey key, String heldNote, UUID owner, long afterSeq)
            throws IOException {
        return verify(JSON.readTree(responseJson), key, heldNote, owner, afterSeq);
    }

    /**
     * Verifies one page of the owner's audit.
     *
     * @param response the JSON the vault answered
     * @param key the vault's verifier key, pinned by the owner
     * @param heldNote a checkpoint note the owner kept from before, or null
     * @param owner the owner the entries must be about, or null for "the owner the first entry names"
     * @param afterSeq the {@code afterSeq} the page was asked with (0: from the first entry)
     */
    public static Report verify(JsonNode response, NoteKey key, String heldNote, UUID owner, long afterSeq) {
        return verify(response, key, heldNote, null, owner, afterSeq);
    }

    /**
     * As {@link #verify(JsonNode, NoteKey, String, UUID, long)}, and {@code heldEntry} (or null), the
     * owner's last entry as verified before: the entry under its seq must be the same (same
     * commitment), and the chain may not end before it — else a verified history was rewritten
     * (its rewritten entries may well be in the grown tree as new leaves).
     */
    public static Report verify(JsonNode response, NoteKey key, String heldNote, HeldEntry heldEntry, UUID owner,
            long afterSeq) {
        List<String> problems = new ArrayList<>();

        // (1) The checkpoint.
        Checkpoint cp = null;
        String note = text(response, "checkpoint");
        String checkpointLine;
        try {
            if (note == null) {
                throw new ProofException("the response has no checkpoint");
            }
            Checkpoint parsed = Checkpoint.parse(SignedNote.open(note, key));
            String log = text(response, "log");
            // The key's name is the log's origin (C2SP): a note signed by this key for another
            // origin is another log's checkpoint, whatever the response says its log is.
            if (!parsed.origin().equals(key.name())) {
                throw new ProofException("the checkpoint is of log " + parsed.origin() + ", not of the pinned key's log "
                        + key.name());
            }
            if (!parsed.origin().equals(log)) {
                throw new ProofException("the checkpoint is of log " + parsed.origin() + ", the response names " + log);
            }
            Long size = number(response, "treeSize");
            byte[] root = bytes(response, "rootHash");
            if (size == null || size != parsed.size() || root == null || !MessageDigest.isEqual(root, parsed.rootHash())) {
                throw new ProofException("the response's treeSize/rootHash are not the signed checkpoint's ("
                        + parsed.size() + ")");
            }
            cp = parsed;
            checkpointLine = "CHECKPOINT VERIFIED log=" + cp.origin() + " size=" + cp.size() + " root="
                    + Base64.getEncoder().encodeToString(cp.rootHash()) + " key=" + key.name();
        } catch (ProofException e) {
            problems.add("checkpoint: " + e.getMessage());
            checkpointLine = "CHECKPOINT FAILED " + e.getMessage();
        }

        // (2) The held checkpoint: the new tree must extend it.
        String consistencyLine;
        if (heldNote == null) {
            consistencyLine = "CONSISTENCY SKIPPED no held checkpoint (pass --held to check the log was not rewritten)";
        } else if (cp == null) {
            consistencyLine = "CONSISTENCY FAILED the new checkpoint did not verify";
        } else {
            try {
                Checkpoint held = Checkpoint.parse(SignedNote.open(heldNote, key));
                if (!held.origin().equals(cp.origin())) {
                    throw new ProofException("the held checkpoint is of log " + held.origin() + ", not " + cp.origin());
                }
                consistencyLine = "CONSISTENCY VERIFIED held size=" + held.size() + " -> size=" + cp.size()
                        + extends_(held, cp, response);
            } catch (ProofException e) {
                problems.add("consistency: " + e.getMessage());
                consistencyLine = "CONSISTENCY FAILED " + e.getMessage();
            }
        }

        // (3) The entries.
        List<EntryCheck> checks = new ArrayList<>();
        JsonNode entries = response.path("entries");
        if (!entries.isArray()) {
            problems.add("the response has no entries list");
            return new Report(checkpointLine, consistencyLine, checks, problems, cp == null ? null : note, cp, null);
        }
        long expectedSeq = afterSeq + 1;
        byte[] previous = null;             // the previous entry's commitment, recomputed
        boolean previousKnown = afterSeq == 0;  // seq 1's prev is null; a later page's first prev is unknown
        UUID expectedOwner = owner;
        Set<Long> leaves = new HashSet<>();
        Long lastLeaf = null;
        Long firstUnintegrated = null;
        HeldEntry last = null;
        for (JsonNode e : entries) {
            Long listed = number(e, "seq");
            long seq = listed == null ? -1 : listed;
            String kind = "?";
            Long leafIndex = number(e, "leafIndex");
            byte[] commitment = null;
            try {
                if (listed == null) {
                    throw new ProofException("an entry without a seq");
                }
                byte[] entry = bytes(e, "entry");
                byte[] salt = bytes(e, "salt");
                if (entry == null || salt == null || salt.length != AuditCommitment.SALT_SIZE) {
                    throw new ProofException("entry or salt missing or not base64 (a salt has 32 bytes)");
                }
                commitment = AuditCommitment.of(salt, entry);
                byte[] claimed = bytes(e, "commitment");
                if (claimed != null && !MessageDigest.isEqual(claimed, commitment)) {
                    throw new ProofException("the commitment is not SHA-256 of its salt and entry: entry or salt changed");
                }
                // First: are these the bytes the log committed to? Then: do they say what they must?
                if (leafIndex != null && !leaves.add(leafIndex)) {
                    throw new ProofException("leaf " + leafIndex + " is claimed by two entries");
                }
                // An owner's entries are appended one after the other (the chain is locked) and
                // integrated in append order, so their leaves ascend and none waits behind a later one.
                if (leafIndex != null && lastLeaf != null && leafIndex <= lastLeaf) {
                    throw new ProofException("leaf " + leafIndex + " is not after the previous entry's leaf " + lastLeaf
                            + " (entries reordered)");
                }
                if (leafIndex != null && firstUnintegrated != null) {
                    throw new ProofException("in the tree at leaf " + leafIndex + " while the earlier seq " + firstUnintegrated
                            + " is shown as not integrated (its leaf was removed)");
                }
                EntryCheck check = inclusion(e, seq, "?", leafIndex, commitment, cp);
                JsonNode body;
                try {
                    body = ENTRY_JSON.readTree(java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(entry)).toString());
                } catch (IOException notJson) {
                    throw new ProofException("the entry is not JSON");
                }
                if (body == null || !body.isObject()) {
                    throw new ProofException("the entry is not a JSON object");
                }
                kind = body.path("kind").asText("?");
                if (!body.path("v").isIntegralNumber() || body.path("v").asLong() != 1) {
                    throw new ProofException("the entry is not version 1");
                }
                if (cp != null && !(body.path("log").isTextual() && cp.origin().equals(body.path("log").asText()))) {
                    throw new ProofException("the entry is of log " + body.path("log").asText() + ", not " + cp.origin());
                }
                UUID named;
                String ownerText = body.path("owner").isTextual() ? body.path("owner").asText() : "";
                try {
                    named = UUID.fromString(ownerText);
                } catch (IllegalArgumentException noOwner) {
                    throw new ProofException("the entry names no owner");
                }
                // As the vault writes it (and the app compares it): lower-case canonical text only.
                if (!named.toString().equals(ownerText)) {
                    throw new ProofException("the entry names no owner in canonical form (" + ownerText + ")");
                }
                if (expectedOwner == null) {
                    expectedOwner = named;
                } else if (!expectedOwner.equals(named)) {
                    throw new ProofException("the entry is another owner's (" + named + ")");
                }
                if (!body.path("seq").isIntegralNumber() || !body.path("seq").canConvertToLong()
                        || body.path("seq").asLong() != seq) {
                    throw new ProofException("the entry says seq " + body.path("seq").asText() + " but is listed as " + seq);
                }
                if (seq != expectedSeq) {
                    throw new ProofException(seq > expectedSeq
                            ? "seq " + expectedSeq + (seq - expectedSeq > 1 ? ".." + (seq - 1) : "") + " missing (a gap in the chain)"
                            : "seq out of order: expected " + expectedSeq);
                }
                JsonNode prev = body.path("prev");
                if (seq == 1) {
                    if (!prev.isNull()) {
                        throw new ProofException("the first entry has a prev link");
                    }
                } else if (previousKnown) {
                    byte[] link = prev.isTextual() ? decode(prev.asText()) : null;
                    if (link == null || previous == null || !MessageDigest.isEqual(link, previous)) {
                        throw new ProofException("prev is not the commitment of seq " + (seq - 1)
                                + " (an entry before it was changed, removed or inserted)");
                    }
                }
                if (heldEntry != null && heldEntry.seq() == seq && !MessageDigest.isEqual(heldEntry.commitment(), commitment)) {
                    throw new ProofException("differs from entry " + seq + " as verified before (history rewritten)");
                }
                checks.add(new EntryCheck(seq, kind, check.leafIndex(), check.status(), check.reason()));
                last = new HeldEntry(seq, commitment);
            } catch (ProofException failure) {
                checks.add(new EntryCheck(seq, kind, leafIndex, Status.FAILED, failure.getMessage()));
            }
            if (leafIndex != null) {
                lastLeaf = leafIndex;
            } else if (firstUnintegrated == null && listed != null) {
                firstUnintegrated = seq;
            }
            expectedSeq = seq + 1;
            previous = commitment;
            previousKnown = commitment != null;
        }

        // The last page must end at the owner's last seq the vault itself reports.
        Long lastSeq = number(response, "lastSeq");
        JsonNode next = response.path("nextAfterSeq");
        if ((next.isMissingNode() || next.isNull()) && lastSeq != null && lastSeq != expectedSeq - 1) {
            problems.add("entries end at seq " + (expectedSeq - 1) + " but the vault reports lastSeq " + lastSeq);
        }
        if (heldEntry != null && (next.isMissingNode() || next.isNull()) && expectedSeq - 1 < heldEntry.seq()) {
            problems.add("entries end at seq " + (expectedSeq - 1) + " but entry " + heldEntry.seq()
                    + " was verified before (entries removed)");
        }
        return new Report(checkpointLine, consistencyLine, checks, problems, cp == null ? null : note, cp, last);
    }

    /** Checks the new checkpoint extends the held one; returns what to add to the line. */
    private static String extends_(Checkpoint held, Checkpoint now, JsonNode response) throws ProofException {
        if (held.size() > now.size()) {
            throw new ProofException("rewound: the held checkpoint has " + held.size() + " entries, the vault now shows "
                    + now.size());
        }
        if (held.size() == now.size()) {
            if (!MessageDigest.isEqual(held.rootHash(), now.rootHash())) {
                throw new ProofException("forked: two different roots signed for tree size " + now.size());
            }
            return " (same tree)";
        }
        if (held.size() == 0) {
            return " (the empty tree)";
        }
        JsonNode c = response.path("consistency");
        if (!c.isObject()) {
            throw new ProofException("no consistency proof from the held size " + held.size()
                    + " (ask with since=" + held.size() + ")");
        }
        Long from = number(c, "fromSize");
        Long to = number(c, "toSize");
        if (from == null || to == null || from != held.size() || to != now.size()) {
            throw new ProofException("the consistency proof is from " + from + " to " + to + ", not " + held.size() + " to "
                    + now.size());
        }
        List<byte[]> proof = hashes(c.path("proof"));
        if (proof == null) {
            throw new ProofException("the consistency proof is not a list of base64 hashes");
        }
        try {
            MerkleVerifier.verifyConsistency(held.size(), now.size(), proof, held.rootHash(), now.rootHash());
        } catch (ProofException e) {
            throw new ProofException("the new tree does not extend the held one (history rewritten): " + e.getMessage());
        }
        return "";
    }

    private static EntryCheck inclusion(JsonNode e, long seq, String kind, Long leafIndex, byte[] commitment, Checkpoint cp)
            throws ProofException {
        JsonNode proofNode = e.path("inclusionProof");
        boolean noProof = proofNode.isMissingNode() || proofNode.isNull();
        if (leafIndex == null) {
            if (!noProof) {
                throw new ProofException("an inclusion proof without a leaf index");
            }
            return new EntryCheck(seq, kind, null, Status.PENDING, "not yet in the tree");
        }
        if (cp == null) {
            throw new ProofException("no verified checkpoint to check leaf " + leafIndex + " against");
        }
        if (leafIndex < 0) {
            throw new ProofException("negative leaf index");
        }
        if (leafIndex >= cp.size()) {
            if (!noProof) {
                throw new ProofException("an inclusion proof for leaf " + leafIndex + " beyond the checkpoint's " + cp.size());
            }
            return new EntryCheck(seq, kind, leafIndex, Status.PENDING, "leaf=" + leafIndex + " after the checkpoint");
        }
        if (noProof) {
            throw new ProofException("no inclusion proof for leaf " + leafIndex + " inside the checkpoint's tree");
        }
        List<byte[]> proof = hashes(proofNode);
        if (proof == null) {
            throw new ProofException("the inclusion proof is not a list of base64 hashes");
        }
        try {
            MerkleVerifier.verifyInclusion(MerkleHash.leaf(commitment), leafIndex, cp.size(), proof, cp.rootHash());
        } catch (ProofException bad) {
            throw new ProofException("not in the signed tree: " + bad.getMessage());
        }
        return new EntryCheck(seq, kind, leafIndex, Status.VERIFIED, null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static Long number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isIntegralNumber() && v.canConvertToLong() ? v.asLong() : null;
    }

    private static byte[] bytes(JsonNode node, String field) {
        String t = text(node, field);
        return t == null ? null : decode(t);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<byte[]> hashes(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        List<byte[]> out = new ArrayList<>();
        for (JsonNode h : array) {
            byte[] b = h.isTextual() ? decode(h.asText()) : null;
            if (b == null) {
                return null;
            }
            out.add(b);
        }
        return out;
    }
}
