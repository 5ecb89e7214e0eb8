package org.vitalvault.vault.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-VitalVault-Signature} header of a webhook delivery: {@code sha256=} and the lowercase
 * hex HMAC-SHA256 of the exact request body under the shared secret, so the receiver knows the vault
 * sent it and nothing changed it on the way. Receivers compare in constant time. Limits: it does not
 * stop a replay of an old delivery; the delivery id ({@code X-VitalVault-Delivery}) lets the receiver
 * drop a body it has already seen.
 */
public final class WebhookSignature {

    /** The header that carries the signature. */
    public static final String HEADER = "X-VitalVault-Signature";
    /** The header that carries the delivery id, {@code <ownerId>:<noticeId>}. */
    public static final String DELIVERY_HEADER = "X-VitalVault-Delivery";

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The header value for {@code body}. */
    public String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[secret hidden]";
    }
}
