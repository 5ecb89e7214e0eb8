package org.vitalvault.store.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.vitalvault.tlog.Node;
import org.vitalvault.tlog.NodeReader;

/**
 * The tree's stored hashes ({@code audit_tile}, V21) read as complete subtrees: every node a proof
 * plan names is folded from the tile that holds its level-8L descendants, all tiles in one query.
 *
 * <p>FOUNDATION STUB: branch {@code logstore} implements it.
 */
public final class AuditTiles implements NodeReader {

    /** Tree levels per tile. */
    public static final int HEIGHT = 8;
    /** Hashes in a full tile. */
    public static final int WIDTH = 1 << HEIGHT;

    private final Connection connection;

    /** Reads through {@code connection} (any transaction; a proof should read one snapshot). */
    public AuditTiles(Connection connection) {
        this.connection = connection;
    }

    @Override
    public List<byte[]> read(List<Node> nodes) {
        throw new UnsupportedOperationException("branch logstore");
    }

    /** The integrated tree ({@code audit_head}). */
    public static TreeHead head(Connection c) throws SQLException {
        throw new UnsupportedOperationException("branch logstore");
    }
}
