package org.vitalvault.vault.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.vitalvault.vault.consent.ConsentReceipts;
import org.vitalvault.vault.keys.VaultSigner;
import org.vitalvault.vault.lease.Lease;
import org.vitalvault.vault.lease.LeaseDocument;

/**
 * Signs every answer the vault releases (issue 13): an {@link AnswerDocument} binding the answer to
 * the lease document and the signed query it answers, as a compact JWS with the vault's key. Called
 * once per released answer, after the release is recorded; it reads nothing and decides nothing.
 */
@ApplicationScoped
public class AnswerSigner {

    @Inject
    VaultSigner signer;

    @Inject
    ObjectMapper json;

    /**
     * @param lease    the lease the query was answered in (its signed document is bound by digest)
     * @param queryJws the researcher's signed query as received (as {@code SignedRequests.Opened#jws})
     * @param answer   what is released
     */
    public SignedQueryAnswer sign(Lease lease, String queryJws, QueryAnswer answer) {
        AnswerDocument doc = new AnswerDocument(AnswerDocument.TYPE, AnswerDocument.VERSION,
                new LeaseDocument.Issuer(ConsentReceipts.CONTROLLER, signer.kid()), sha256Hex(lease.document()),
                sha256Hex(queryJws), answer);
        try {
            // The same mapper writes the response body, so the body's members and the signed
            // answer are the same JSON.
            return new SignedQueryAnswer(answer, signer.sign(AnswerDocument.JWS_TYPE, json.writeValueAsBytes(doc)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing a query answer failed", e);
        }
    }

    static String sha256Hex(String compactJws) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(compactJws.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
