package org.vitalvault.vault.audit;

/**
 * Somewhere a newly stored checkpoint is published so that the operator cannot show different
 * owners different histories. Every CDI bean of this type is called once per new checkpoint.
 */
public interface CheckpointWitness {

    /**
     * @param note the signed checkpoint note (C2SP signed-note text)
     * @param size its tree size
     */
    void publish(String note, long size);
}
