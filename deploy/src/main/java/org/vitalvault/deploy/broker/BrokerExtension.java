package org.vitalvault.deploy.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.util.Objects;

/**
 * The embedded HiveMQ extension of the vault: registers {@link BrokerAuthenticator}, and on every
 * client the {@link DevicePublishLimiter} (QoS 0 dropped, per-device publish quota). HiveMQ CE
 * refuses every client until an authenticator is registered, so without this extension the
 * broker accepts nobody.
 */
final class BrokerExtension implements ExtensionMain {

    private final BrokerCredentials credentials;
    private final DevicePublishLimiter limiter;

    BrokerExtension(BrokerCredentials credentials, DevicePublishLimiter limiter) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        BrokerAuthenticator authenticator =
                new BrokerAuthenticator(credentials, Services.extensionExecutorService());
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        // One stateless-per-call interceptor for all clients: its buckets are keyed by client id.
        Services.initializerRegistry().setClientInitializer(
                (initializerInput, clientContext) -> clientContext.addPublishInboundInterceptor(limiter));
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // Nothing to release: credentials open one connection per check.
    }
}
