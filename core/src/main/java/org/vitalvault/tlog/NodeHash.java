package org.vitalvault.tlog;

/** A complete subtree and its hash. */
public record NodeHash(Node node, byte[] hash) {

    public NodeHash {
        if (hash.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("a node hash has " + MerkleHash.SIZE + " bytes, not " + hash.length);
        }
    }
}
