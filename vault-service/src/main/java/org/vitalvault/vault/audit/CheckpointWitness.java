package org.vitalvault.vault.audit;

/**
 * Somewhere each newly signed checkpoint of the transparency log is published, so that the
 * operator cannot show different owners different histories (a file, an MQTT topic; the HTTP
 * endpoint {@code GET /audit/checkpoint} serves it from the database). Implement it as a CDI bean:
 * the checkpoint signer calls every bean once for each checkpoint it stored, after that checkpoint
 * committed. A witness that throws is logged and counted
 * ({@code vitalvault_audit_witness_failures_total}); it never stops signing nor the other witnesses.
 * It runs on the signer's thread, so it should not block for long (bound network calls by a timeout).
 *
 * <p>Lives in {@code audit}, beside {@link AuditLog}, not with the signer: a witness then needs
 * nothing from the packages the signer uses (keys, auth), so no package cycle can form.
 */
public interface CheckpointWitness {

    /**
     * Publishes one checkpoint.
     *
     * @param note the signed note (C2SP signed-note over a tlog-checkpoint), exactly as stored and served
     * @param size its tree size: a witness may refuse to replace a larger checkpoint by a smaller one
     */
    void publish(String note, long size) throws Exception;
}
