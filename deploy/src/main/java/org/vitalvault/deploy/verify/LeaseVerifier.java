package org.vitalvault.deploy.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.vitalvault.crypto.JwsVerifier;

/**
 * Checks a lease document offline: the compact JWS the vault answered a lease request with, against
 * the vault's public key saved from {@code GET /vault/keys} (the JWK Set file, or the key's {@code x}
 * value). No network, no vault: core's {@link JwsVerifier} (Ed25519, {@code typ} must be
 * {@code vitalvault.lease}, so an erasure or consent receipt cannot pass for a lease).
 *
 * <pre>
 *   deploy/verify-lease.sh lease.jws vault-keys.json
 * </pre>
 *
 * Exit status: 0 when the signature verifies (the document is printed, and whether the lease period
 * has ended); 1 when it does not; 2 on a usage or input error.
 */
public final class LeaseVerifier {

    /** The JWS {@code typ} the vault signs lease documents with. */
    public static final String LEASE_TYP = "vitalvault.lease";

    private LeaseVerifier() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** {@link #main} without exiting, for tests. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || args[0].equals("--help") || args[0].equals("-h")) {
            err.println("usage: verify-lease.sh LEASE_JWS_FILE VAULT_KEY   (VAULT_KEY: the JWK Set file saved from"
                    + " GET /vault/keys, or the key's base64url x value)");
            return 2;
        }
        String jws;
        byte[] key;
        try {
            jws = Files.readString(Path.of(args[0]), StandardCharsets.US_ASCII).strip();
            key = publicKey(args[1], jws);
        } catch (JwsVerifier.InvalidJwsException e) {
            out.println("INVALID: " + e.getMessage());
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("cannot read the input: " + e.getMessage());
            return 2;
        }
        byte[] payload;
        try {
            payload = JwsVerifier.verify(jws, key, LEASE_TYP);
        } catch (JwsVerifier.InvalidJwsException e) {
            out.println("INVALID: " + e.getMessage());
            return 1;
        }
        try {
            JsonNode doc = new ObjectMapper().readTree(payload);
            out.println("VALID lease " + doc.path("leaseId").asText() + " for " + doc.path("organisation").path("name").asText()
                    + ", cohort of " + doc.path("cohortSize").asInt() + " owners, ε " + doc.path("terms").path("epsilon").asDouble()
                    + ", price " + doc.path("price").path("euroCents").asLong() + " cents, expires "
                    + doc.path("expiresAt").asText());
            Instant expires = Instant.parse(doc.path("expiresAt").asText());
            if (!expires.isAfter(Instant.now())) {
                out.println("note: the lease period has ended");
            }
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } catch (IOException | RuntimeException e) {
            out.println("VALID signature, but the payload is not a lease document this tool reads");
        }
        return 0;
    }

    /** The raw key: from a JWK Set file (the key whose kid the JWS names, else the only one) or a base64url x. */
    static byte[] publicKey(String arg, String jws) throws IOException {
        Path file = Path.of(arg);
        String x;
        if (Files.isRegularFile(file)) {
            JsonNode keys = new ObjectMapper().readTree(file.toFile()).path("keys");
            if (!keys.isArray() || keys.isEmpty()) {
                throw new IllegalArgumentException(arg + " is not a JWK Set (no keys)");
            }
            String kid = JwsVerifier.unverifiedHeader(jws).kid();
            JsonNode chosen = keys.size() == 1 ? keys.get(0) : null;
            for (JsonNode k : keys) {
                if (kid != null && kid.equals(k.path("kid").asText())) {
                    chosen = k;
                }
            }
            if (chosen == null) {
                throw new IllegalArgumentException("no key in " + arg + " has the document's kid");
            }
            x = chosen.path("x").asText();
        } else {
            x = arg;
        }
        byte[] raw = Base64.getUrlDecoder().decode(x);
        if (raw.length != JwsVerifier.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("the vault key must be a raw 32-byte Ed25519 key");
        }
        return raw;
    }
}
