package org.vitalvault.tlog;

import java.util.List;

/**
 * Where the log's complete subtree hashes are kept (a database, a file of tiles, memory). Proofs are
 * planned first and read in one call, so a store answers a proof with one round trip.
 */
@FunctionalInterface
public interface NodeReader {

    /**
     * The hashes of {@code nodes}, in the same order.
     *
     * @throws MissingNodeException if a node is not stored (not complete yet, or the store was damaged)
     */
    List<byte[]> read(List<Node> nodes);
}
