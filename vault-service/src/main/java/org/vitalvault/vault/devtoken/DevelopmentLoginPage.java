package org.vitalvault.vault.devtoken;

import java.util.List;

/**
 * The development login's one HTML page: a form, no script, no inline style (the CSP of /dev/oidc
 * forbids both), the app's own stylesheet. Every value written into it is HTML-escaped.
 */
final class DevelopmentLoginPage {

    private DevelopmentLoginPage() {
    }

    static String render(String clientId, String redirectUri, String state, String codeChallenge, String scope,
                         String nonce, List<String> roles) {
        StringBuilder options = new StringBuilder();
        for (String role : roles) {
            options.append("<option value=\"").append(esc(role)).append("\">").append(esc(role)).append("</option>");
        }
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Development login – Vital Vault</title>
                <link rel="stylesheet" href="/app/css/app.css">
                </head>
                <body>
                <main id="main" data-page="dev-login" class="dev-login">
                <h1>Development login</h1>
                <p class="notice" role="note">This is the local stack's development login, not a real one:
                anyone can sign in as anyone, in any role. Production builds have no such page.</p>
                <form method="post" action="/dev/oidc/authorize">
                <input type="hidden" name="client_id" value="%s">
                <input type="hidden" name="redirect_uri" value="%s">
                <input type="hidden" name="state" value="%s">
                <input type="hidden" name="code_challenge" value="%s">
                <input type="hidden" name="code_challenge_method" value="S256">
                <input type="hidden" name="scope" value="%s">
                <input type="hidden" name="nonce" value="%s">
                <p><label for="subject">Subject (who you are)</label>
                <input id="subject" name="subject" required maxlength="200" autocomplete="username" autofocus></p>
                <p><label for="role">Role</label>
                <select id="role" name="role">%s</select></p>
                <p><button type="submit" id="sign-in">Sign in</button></p>
                </form>
                </main>
                </body>
                </html>
                """.formatted(esc(clientId), esc(redirectUri), esc(state), esc(codeChallenge), esc(scope), esc(nonce),
                options);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
