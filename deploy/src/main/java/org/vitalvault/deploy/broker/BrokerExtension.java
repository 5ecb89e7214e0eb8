package org.vitalvault.deploy.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.util.Objects;

/**
 * The embedded HiveMQ extension of the vault: registers {@link BrokerAuthenticator}. HiveMQ CE
 * refuses every client until an authenticator is registered, so without this extension the
 * broker accepts nobody.
 */
final class BrokerExtension implements ExtensionMain {

    private final BrokerCredentials credentials;

    BrokerExtension(BrokerCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        BrokerAuthenticator authenticator =
                new BrokerAuthenticator(credentials, Services.extensionExecutorService());
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // Nothing to release: credentials open one connection per check.
    }
}
