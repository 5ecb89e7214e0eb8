package org.vitalvault.tlog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A log kept in memory the way the vault keeps it: every complete subtree the frontier reports. */
final class MemoryTree implements NodeReader {

    private final Map<Node, byte[]> nodes = new HashMap<>();
    private final Frontier frontier = Frontier.empty();

    void append(byte[] leafHash) {
        for (NodeHash completed : frontier.append(leafHash)) {
            nodes.put(completed.node(), completed.hash());
        }
    }

    long size() {
        return frontier.size();
    }

    byte[] root() {
        return frontier.root();
    }

    @Override
    public List<byte[]> read(List<Node> wanted) {
        List<byte[]> out = new ArrayList<>(wanted.size());
        for (Node n : wanted) {
            byte[] h = nodes.get(n);
            if (h == null) {
                throw new MissingNodeException("no node " + n);
            }
            out.add(h);
        }
        return out;
    }
}
