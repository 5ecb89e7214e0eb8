package org.vitalvault.tlog;

/** A node a proof needs is not in the store: the tree is smaller than asked, or the store was damaged. */
public class MissingNodeException extends RuntimeException {

    public MissingNodeException(String message) {
        super(message);
    }
}
