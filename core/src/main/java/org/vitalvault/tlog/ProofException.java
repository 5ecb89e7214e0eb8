package org.vitalvault.tlog;

/** A proof, checkpoint or entry that does not verify; the message says which check failed. */
public class ProofException extends Exception {

    public ProofException(String message) {
        super(message);
    }
}
