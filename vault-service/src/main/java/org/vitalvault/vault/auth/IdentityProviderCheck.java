package org.vitalvault.vault.auth;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Stops the vault at start-up when it has no way to verify bearer tokens. Without it quarkus-oidc
 * only logs that its tenant is disabled and the vault runs on, answering every caller 401.
 */
@Startup
@ApplicationScoped
public class IdentityProviderCheck {

    IdentityProviderCheck() {
        Config config = ConfigProvider.getConfig();
        boolean discovery = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class).isPresent();
        boolean staticKey = config.getOptionalValue("quarkus.oidc.public-key", String.class).isPresent();
        if (!discovery && !staticKey) {
            throw new IllegalStateException("No identity provider configured: set VITALVAULT_OIDC_URL (quarkus.oidc."
                    + "auth-server-url, the issuer URL of an OIDC provider) or, for development tokens,"
                    + " VITALVAULT_JWT_PUBLIC_KEY (vitalvault.jwt.public-key-file); see docs/decisions/035");
        }
    }
}
