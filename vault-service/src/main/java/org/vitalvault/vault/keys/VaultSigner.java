package org.vitalvault.vault.keys;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The vault's signature on the documents it issues (erasure receipts; later lease documents and
 * consent receipts): compact JWS, EdDSA (Ed25519), verifiable offline against {@code GET
 * /vault/keys}. The key comes from a file or the environment, never from the database, and is
 * loaded at start-up so a missing or exposed key file stops the service before it serves anything.
 * No method returns the private key.
 */
@ApplicationScoped
@Startup
public class VaultSigner {

    private static final Logger LOG = Logger.getLogger(VaultSigner.class);

    @Inject
    VaultConfig config;

    private SigningKey key;

    @PostConstruct
    void load() {
        key = load(config.signingKey());
        LOG.infof("vault signing key loaded, kid %s", key.kid());
    }

    static SigningKey load(VaultConfig.SigningKey source) {
        if (source.file().isPresent() == source.base64().isPresent()) {
            throw new IllegalStateException("set exactly one of vitalvault.signing-key.file and"
                    + " vitalvault.signing-key.base64 (VITALVAULT_SIGNING_KEY_BASE64)");
        }
        if (source.base64().isPresent()) {
            return SigningKey.fromBase64(source.base64().get());
        }
        Path file = source.file().get();
        if (!Files.exists(file) && !source.createIfMissing()) {
            throw new IllegalStateException("signing key file " + file + " does not exist"
                    + " (set vitalvault.signing-key.create-if-missing=true to generate one in local mode)");
        }
        try {
            return SigningKey.loadOrCreate(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the signing key file " + file, e);
        }
    }

    /** Signs {@code payload} as a compact JWS of document type {@code typ} (see {@link SigningKey#sign}). */
    public String sign(String typ, byte[] payload) {
        return key.sign(typ, payload);
    }

    /** The plain Ed25519 signature of a signed note's text (see {@link SigningKey#signNoteText}). */
    public byte[] signNoteText(byte[] text) {
        return key.signNoteText(text);
    }

    /** The key id in every JWS header and in the published JWK. */
    public String kid() {
        return key.kid();
    }

    /** The raw 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return key.publicKey();
    }
}
