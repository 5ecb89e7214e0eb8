package org.vitalvault.vault.audit.tree;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.keys.VaultSigner;

/**
 * The log's signed-note key: named for the log's origin ({@code vitalvault.audit.origin}), holding
 * the vault's Ed25519 signing key (the one {@code GET /vault/keys} publishes as a JWK). Its verifier
 * key {@code origin+keyid+base64} is what an owner pins to verify checkpoints offline.
 */
@ApplicationScoped
public class LogKey {

    @Inject
    VaultConfig config;

    @Inject
    VaultSigner signer;

    /** The log's name, the first line of every checkpoint. */
    public String origin() {
        return config.audit().origin();
    }

    public NoteKey noteKey() {
        return NoteKey.of(origin(), signer.publicKey());
    }

    /** The vault's raw 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return signer.publicKey();
    }
}
