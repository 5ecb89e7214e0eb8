package org.vitalvault.vault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.vault.lease.SignedRequests;

/**
 * What an organisation signs, with its current key, to make another key current (JWS {@code typ}
 * {@value #TYP}). Signed by the key it retires: only the holder of the current key can rotate, and
 * the kept JWS proves that it did.
 *
 * @param organisation the organisation's id (a rotation cannot be moved to another one)
 * @param issuedAt     when it was signed; fresh as every signed request ({@link SignedRequests})
 * @param publicKey    the new Ed25519 public key: a JWK {@code {"kty":"OKP","crv":"Ed25519","x":…}} or the raw
 *                     key as unpadded base64url, as at registration
 */
public record KeyRotationPayload(UUID organisation, Instant issuedAt,
                                 @Schema(type = SchemaType.OBJECT, description = "a public Ed25519 JWK, or the raw key as base64url")
                                 JsonNode publicKey) implements SignedRequests.Fresh {

    /** JWS {@code typ} of a key rotation. */
    public static final String TYP = "vitalvault.key-rotation";
}
