package org.vitalvault.vault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.vitalvault.crypto.JwsVerifier;

/**
 * Reads a researcher's Ed25519 public key as registered: either a JWK ({@code {"kty":"OKP",
 * "crv":"Ed25519","x":…}}, RFC 8037) or the raw 32-byte key as one unpadded base64url string. The
 * key id is computed the same way as the vault's own (first 16 hex characters of SHA-256 of the raw
 * key), so it never depends on what the client wrote in a {@code kid} member.
 */
final class ResearcherKeys {

    private ResearcherKeys() {
    }

    /**
     * @throws IllegalArgumentException with a message for the {@code publicKey} field
     */
    static byte[] parse(JsonNode node) {
        String x;
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("must be given: a JWK {\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":…} or a base64url raw key");
        } else if (node.isTextual()) {
            x = node.asText();
        } else if (node.isObject()) {
            if (!"OKP".equals(node.path("kty").asText()) || !"Ed25519".equals(node.path("crv").asText())) {
                throw new IllegalArgumentException("must be an Ed25519 JWK: kty OKP and crv Ed25519");
            }
            if (node.has("d")) {
                throw new IllegalArgumentException("must be a public JWK: it holds the private member d, consider that key exposed");
            }
            x = node.path("x").asText();
        } else {
            throw new IllegalArgumentException("must be a JWK object or a base64url string");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(x);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be unpadded base64url");
        }
        if (raw.length != JwsVerifier.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("must be a raw Ed25519 public key of 32 bytes");
        }
        return raw;
    }

    static String kid(byte[] publicKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
