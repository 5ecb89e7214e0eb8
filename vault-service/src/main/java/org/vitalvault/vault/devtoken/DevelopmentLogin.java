package org.vitalvault.vault.devtoken;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.jwt.build.Jwt;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * Development only, not a login: a minimal OpenID-Connect-style provider inside the local stack's
 * vault, so that the owner app signs in by the same authorization code flow with PKCE (S256) it
 * uses against a real provider, without one. {@code GET /dev/oidc/authorize} shows a form (subject
 * and role: anyone may be anyone, as with {@code POST /dev/tokens}); submitting it redirects to the
 * app with a single-use code; {@code POST /dev/oidc/token} exchanges the code and the PKCE verifier
 * for a development token.
 *
 * <p>Absent from production builds exactly like {@link DevelopmentTokenMint} (the same build
 * property, decided at build time; docs/decisions/021, 044).
 *
 * <p>What it refuses even here, because the app's login code must be right against a real
 * provider too: a redirect URI outside {@code /app/} on the origin the form was served from (no
 * code leaves to another site), a client id other than {@code vitalvault.app.client-id}, a
 * challenge method other than S256, a code presented twice, late, with another redirect URI or
 * with a verifier that does not hash to the challenge.
 */
@Path("/dev/oidc")
@PermitAll
@IfBuildProperty(name = DevelopmentTokenMint.BUILD_PROPERTY, stringValue = "true")
public class DevelopmentLogin {

    /** Every role a token may carry; the development login lets one pick any. */
    static final List<String> ROLES = List.of("owner", "caregiver", "clinician", "researcher", "operator");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern SUBJECT = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,200}");

    @Inject
    VaultConfig config;

    @Inject
    Clock clock;

    @Inject
    DevelopmentLoginCodes codes;

    /** The token answer of RFC 6749 §5.1. */
    public record TokenResponse(String access_token, String token_type, long expires_in, String scope) {
        @Override
        public String toString() {
            return "TokenResponse[expires_in=" + expires_in + "]";
        }
    }

    @Operation(summary = "Development login form (local stack builds only; anyone may sign in as anyone)")
    @GET
    @Path("/authorize")
    @Produces(MediaType.TEXT_HTML)
    public String form(@QueryParam("response_type") String responseType, @QueryParam("client_id") String clientId,
                       @QueryParam("redirect_uri") String redirectUri, @QueryParam("state") String state,
                       @QueryParam("code_challenge") String codeChallenge,
                       @QueryParam("code_challenge_method") String codeChallengeMethod,
                       @QueryParam("scope") String scope, @QueryParam("nonce") String nonce,
                       @HeaderParam("Host") String host) {
        check(responseType, clientId, redirectUri, state, codeChallenge, codeChallengeMethod, host);
        return DevelopmentLoginPage.render(clientId, redirectUri, state, codeChallenge, scope, nonce, ROLES);
    }

    @Operation(summary = "Sign in at the development login (local stack builds only): redirects to the app with a code")
    @POST
    @Path("/authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("client_id") String clientId, @FormParam("redirect_uri") String redirectUri,
                           @FormParam("state") String state, @FormParam("code_challenge") String codeChallenge,
                           @FormParam("code_challenge_method") String codeChallengeMethod,
                           @FormParam("subject") String subject, @FormParam("role") String role,
                           @HeaderParam("Host") String host) {
        // The form's hidden fields come back from the browser: checked again, never trusted.
        check("code", clientId, redirectUri, state, codeChallenge, codeChallengeMethod, host);
        List<InvalidInput.FieldError> errors = new ArrayList<>();
        if (subject == null || !SUBJECT.matcher(subject.strip()).matches()) {
            errors.add(new InvalidInput.FieldError("subject", "1 to 200 letters, digits or . _ @ + -"));
        }
        if (role == null || !ROLES.contains(role)) {
            errors.add(new InvalidInput.FieldError("role", "must be one of " + String.join(", ", ROLES)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        String code = codes.issue(subject.strip(), role, clientId, redirectUri, codeChallenge);
        String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + enc(code)
                + "&state=" + enc(state);
        // 303: the browser follows with a GET, and the code is in no form a reload would post again.
        return Response.seeOther(URI.create(location)).header("Cache-Control", "no-store").build();
    }

    @Operation(summary = "Exchange a development login code and its PKCE verifier for a token (local stack builds only)")
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@FormParam("grant_type") String grantType, @FormParam("code") String code,
                          @FormParam("redirect_uri") String redirectUri, @FormParam("client_id") String clientId,
                          @FormParam("code_verifier") String codeVerifier) {
        if (!"authorization_code".equals(grantType)) {
            throw new InvalidInput("unsupported-grant-type", "Unsupported grant type",
                    List.of(new InvalidInput.FieldError("grant_type", "must be authorization_code")));
        }
        DevelopmentLoginCodes.Result result = codes.exchange(code, clientId, redirectUri, codeVerifier);
        if (result.grant().isEmpty()) {
            throw new InvalidInput("invalid-grant", "Invalid grant", List.of(refusal(result.refused())));
        }
        DevelopmentLoginCodes.Grant grant = result.grant().get();
        Instant now = clock.instant();
        Instant expires = now.plus(config.devTokens().lifetime());
        String token = Jwt.issuer(config.jwt().issuer())
                .audience(config.jwt().audience())
                .subject(grant.subject())
                .upn(grant.subject())
                .groups(Set.of(grant.role()))
                .claim("azp", grant.clientId())
                .issuedAt(now)
                .expiresAt(expires)
                .sign();
        return Response.ok(new TokenResponse(token, "Bearer", expires.getEpochSecond() - now.getEpochSecond(),
                config.app().scope()))
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    private static InvalidInput.FieldError refusal(DevelopmentLoginCodes.Refused why) {
        return switch (why) {
            case UNKNOWN_CODE -> new InvalidInput.FieldError("code", "unknown, already used or expired");
            case CLIENT_MISMATCH -> new InvalidInput.FieldError("client_id", "not the client the code was issued to");
            case REDIRECT_MISMATCH -> new InvalidInput.FieldError("redirect_uri", "not the redirect URI of the authorization request");
            case VERIFIER_MISMATCH -> new InvalidInput.FieldError("code_verifier", "does not match the code challenge");
        };
    }

    /** The authorization request's parameters; refused with 400 (never redirected: the URI may be the attack). */
    private void check(String responseType, String clientId, String redirectUri, String state, String codeChallenge,
                       String codeChallengeMethod, String host) {
        List<InvalidInput.FieldError> errors = new ArrayList<>();
        if (!"code".equals(responseType)) {
            errors.add(new InvalidInput.FieldError("response_type", "must be code"));
        }
        if (!config.app().clientId().equals(clientId)) {
            errors.add(new InvalidInput.FieldError("client_id", "unknown client"));
        }
        if (!redirectAllowed(redirectUri, host)) {
            errors.add(new InvalidInput.FieldError("redirect_uri", "must be a page under /app/ of this vault's own origin"));
        }
        if (state == null || state.isEmpty() || state.length() > 200) {
            errors.add(new InvalidInput.FieldError("state", "required, at most 200 characters"));
        }
        if (!"S256".equals(codeChallengeMethod)) {
            errors.add(new InvalidInput.FieldError("code_challenge_method", "must be S256"));
        }
        if (codeChallenge == null || !CHALLENGE.matcher(codeChallenge).matches()) {
            errors.add(new InvalidInput.FieldError("code_challenge", "must be the base64url SHA-256 of the verifier (43 characters)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
    }

    /** Only this vault's own app: http(s), the Host the request came to, a path under /app/, no fragment. */
    static boolean redirectAllowed(String redirectUri, String host) {
        if (redirectUri == null || host == null || redirectUri.length() > 500) {
            return false;
        }
        try {
            URI uri = new URI(redirectUri);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getRawUserInfo() == null && uri.getRawFragment() == null
                    && host.equalsIgnoreCase(uri.getRawAuthority())
                    && uri.getRawPath() != null && uri.getRawPath().startsWith("/app/")
                    && !uri.getRawPath().contains("/..") && !uri.getRawPath().contains("%");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
