package org.vitalvault.vault.audit.tree;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON the log's endpoints answer (docs: DESIGN-17 "REST"). Hashes, salts and entries are
 * standard base64; {@code treeSize}/{@code rootHash} are the latest checkpoint's, and every inclusion
 * and consistency proof is against it.
 */
public final class AuditViews {

    private AuditViews() {
    }

    /** The log's public key. */
    public record LogKeyView(
            @Schema(description = "the log's name: first line of every checkpoint and signed-note key name") String origin,
            @Schema(description = "signed-note verifier key name+keyid+base64(0x01||key): pin it to verify checkpoints") String verifierKey,
            @Schema(description = "the raw 32-byte Ed25519 public key, base64") String publicKey) {
    }

    /** A consistency proof (RFC 9162 §2.1.4) from the tree of {@code fromSize} to that of {@code toSize}. */
    public record ConsistencyView(long fromSize, long toSize, List<String> proof) {
    }

    /**
     * One of the owner's entries. {@code leafIndex} null: not integrated yet; {@code inclusionProof}
     * null: not in the checkpoint yet (pending).
     *
     * @param entry the entry's bytes (UTF-8 JSON), authoritative
     * @param commitment SHA-256("vitalvault-audit-entry-v1" || 0x00 || salt || entry); the leaf hashes it
     */
    public record OwnerEntryView(long seq, long entryId, Long leafIndex, String entry, String salt, String commitment,
                                 List<String> inclusionProof) {
    }

    /**
     * A page of an owner's log entries with everything to verify them offline.
     *
     * @param checkpoint the latest signed checkpoint (null before the first)
     * @param consistency from {@code since} to {@code treeSize}; null without {@code since} or when it is larger
     * @param pending the owner's entries not yet in the checkpoint
     * @param lastSeq the owner's last entry's seq (0: none)
     * @param nextAfterSeq the {@code afterSeq} of the next page; null on the last page
     */
    public record OwnerAuditView(String log, String verifierKey, String checkpoint, long treeSize, String rootHash,
                                 ConsistencyView consistency, List<OwnerEntryView> entries, long pending, long lastSeq,
                                 Long nextAfterSeq) {
    }

    /** One entry about no single owner (kept plain). */
    public record DeploymentEntryView(long entryId, String kind, long leafIndex, String entry, String salt, String commitment,
                                      List<String> inclusionProof) {
    }

    /**
     * A page of the deployment's entries, in leaf order.
     *
     * @param pending deployment entries not yet in the checkpoint (not listed)
     * @param nextAfterIndex the {@code afterIndex} of the next page; null on the last page
     */
    public record DeploymentAuditView(String log, String verifierKey, String checkpoint, long treeSize, String rootHash,
                                      List<DeploymentEntryView> entries, long pending, Long nextAfterIndex) {
    }
}
