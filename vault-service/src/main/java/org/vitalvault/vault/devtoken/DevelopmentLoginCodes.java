package org.vitalvault.vault.devtoken;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The authorization codes of the development login: each names who signed in, for which client,
 * redirect URI and PKCE challenge, and is good for one exchange within
 * {@code vitalvault.dev-tokens.login-code-lifetime}. Kept in memory: a restart (or another replica)
 * forgets them, which only means signing in again. Built in only with the token mint.
 */
@ApplicationScoped
@IfBuildProperty(name = DevelopmentTokenMint.BUILD_PROPERTY, stringValue = "true")
public class DevelopmentLoginCodes {

    /** A PKCE code verifier as RFC 7636 §4.1 defines it. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    /** At most this many codes wait at once; a flood of sign-ins cannot grow the heap without bound. */
    static final int MAX_PENDING = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a code stands for. */
    public record Grant(String subject, String role, String clientId, String redirectUri, String codeChallenge,
                        Instant expiresAt) {
    }

    /** Why an exchange was refused (the caller turns it into a problem). */
    public enum Refused { UNKNOWN_CODE, CLIENT_MISMATCH, REDIRECT_MISMATCH, VERIFIER_MISMATCH }

    @Inject
    Clock clock;

    @Inject
    VaultConfig config;

    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** Issues a fresh single-use code for a sign-in. */
    public String issue(String subject, String role, String clientId, String redirectUri, String codeChallenge) {
        Instant now = clock.instant();
        if (codes.size() >= MAX_PENDING) {
            codes.values().removeIf(g -> !now.isBefore(g.expiresAt()));
            if (codes.size() >= MAX_PENDING) {
                throw new IllegalStateException("too many pending development sign-ins");
            }
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        codes.put(code, new Grant(subject, role, clientId, redirectUri, codeChallenge,
                now.plus(config.devTokens().loginCodeLifetime())));
        return code;
    }

    /**
     * Exchanges a code: the code is spent by this attempt whatever its outcome (a second
     * presentation, e.g. a replayed code, finds nothing), and the client, redirect URI and PKCE
     * verifier must be those the code was issued for.
     */
    public Result exchange(String code, String clientId, String redirectUri, String codeVerifier) {
        Grant grant = code == null ? null : codes.remove(code);
        if (grant == null || !clock.instant().isBefore(grant.expiresAt())) {
            return new Result(Optional.empty(), Refused.UNKNOWN_CODE);
        }
        if (!grant.clientId().equals(clientId)) {
            return new Result(Optional.empty(), Refused.CLIENT_MISMATCH);
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            return new Result(Optional.empty(), Refused.REDIRECT_MISMATCH);
        }
        if (codeVerifier == null || !VERIFIER.matcher(codeVerifier).matches()
                || !MessageDigest.isEqual(s256(codeVerifier).getBytes(StandardCharsets.US_ASCII),
                        grant.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            return new Result(Optional.empty(), Refused.VERIFIER_MISMATCH);
        }
        return new Result(Optional.of(grant), null);
    }

    /** The outcome of an exchange: the grant, or why not. */
    public record Result(Optional<Grant> grant, Refused refused) {
    }

    /** BASE64URL(SHA-256(ASCII(verifier))) without padding: the S256 challenge of RFC 7636 §4.2. */
    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
