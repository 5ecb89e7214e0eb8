package org.vitalvault.vault.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.vitalvault.vault.config.VaultConfig;

/** The deployment's {@link BrokerProvisioner}, from {@code vitalvault.broker.*}; checked at start-up. */
@ApplicationScoped
public class BrokerProvisionerProducer {

    @Produces
    @Singleton
    BrokerProvisioner provisioner(VaultConfig config) {
        return of(config.broker());
    }

    /** What {@code broker} configures; a dynamic-security broker without an address or password stops the vault. */
    public static BrokerProvisioner of(VaultConfig.Broker broker) {
        return switch (broker.provisioning()) {
            case NONE -> BrokerProvisioner.NONE;
            case MOSQUITTO_DYNSEC -> new MosquittoProvisioner(new MosquittoProvisioner.Settings(
                    broker.adminUrl().orElseThrow(() -> new IllegalStateException(
                            "vitalvault.broker.admin-url is required with vitalvault.broker.provisioning=mosquitto-dynsec")),
                    broker.adminUsername(),
                    broker.adminPassword().orElseThrow(() -> new IllegalStateException(
                            "vitalvault.broker.admin-password is required with vitalvault.broker.provisioning=mosquitto-dynsec")),
                    broker.timeout()));
        };
    }
}
