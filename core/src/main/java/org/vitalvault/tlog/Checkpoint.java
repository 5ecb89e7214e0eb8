package org.vitalvault.tlog;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A tree head in the C2SP tlog-checkpoint format: the origin line (the log's name), the tree size in
 * decimal, the root hash in standard base64, then optional extension lines, each line ending in a
 * newline. It is the text a {@link SignedNote} signs.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("a checkpoint's origin is one non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size " + size);
        }
        if (rootHash == null || rootHash.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("a root hash has " + MerkleHash.SIZE + " bytes");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e.isEmpty() || e.contains("\n")) {
                throw new IllegalArgumentException("an extension is one non-empty line");
            }
        }
    }

    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The checkpoint's text, as signed. */
    public String text() {
        StringBuilder b = new StringBuilder()
                .append(origin).append('\n')
                .append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        for (String e : extensions) {
            b.append(e).append('\n');
        }
        return b.toString();
    }

    /** Parses a checkpoint's text (the body of a signed note). */
    public static Checkpoint parse(String text) throws ProofException {
        if (!text.endsWith("\n")) {
            throw new ProofException("a checkpoint ends with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new ProofException("a checkpoint has an origin, a size and a root hash line");
        }
        long size;
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new ProofException("checkpoint size is not a decimal number without leading zeros: " + lines[1]);
        }
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new ProofException("checkpoint size out of range: " + lines[1]);
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new ProofException("checkpoint root hash is not base64");
        }
        if (root.length != MerkleHash.SIZE || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
            throw new ProofException("checkpoint root hash is not a canonical base64 SHA-256 hash");
        }
        List<String> ext = new ArrayList<>();
        for (int i = 3; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                throw new ProofException("a checkpoint has no empty line");
            }
            ext.add(lines[i]);
        }
        if (lines[0].isEmpty()) {
            throw new ProofException("a checkpoint's origin is not empty");
        }
        return new Checkpoint(lines[0], size, root, ext);
    }
}
