package org.vitalvault.deploy.backup;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the vault's key files are: the master key (KEK), the Ed25519 signing key and the JWT key
 * pair. They are not in the database by design, so a backup that lacks them restores data nobody
 * can open (KEK), receipts nobody can check (signing key) and tokens nobody can verify (JWT).
 * Each is optional: a deployment that takes a key from a secret store backs it up there.
 */
public record KeyFiles(Optional<Path> kek, Optional<Path> signingKey, Optional<Path> jwtPrivateKey,
                       Optional<Path> jwtPublicKey) {

    /** The local stack's layout (LocalStack, LocalSecrets): data/master.key, data/signing.key, data/jwt/*.pem. */
    public static KeyFiles inDataDir(Path dataDir) {
        return new KeyFiles(Optional.of(dataDir.resolve("master.key")), Optional.of(dataDir.resolve("signing.key")),
                Optional.of(dataDir.resolve("jwt/private.pem")), Optional.of(dataDir.resolve("jwt/public.pem")));
    }

    /** Archive entry name → file, for the keys that are set. */
    Map<String, Path> byEntry() {
        Map<String, Path> m = new LinkedHashMap<>();
        kek.ifPresent(p -> m.put("keys/master.key", p));
        signingKey.ifPresent(p -> m.put("keys/signing.key", p));
        jwtPrivateKey.ifPresent(p -> m.put("keys/jwt-private.pem", p));
        jwtPublicKey.ifPresent(p -> m.put("keys/jwt-public.pem", p));
        return m;
    }
}
