package org.vitalvault.vault.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import javax.net.SocketFactory;
import org.vitalvault.mqtt.MqttSockets;
import org.vitalvault.mqtt.TlsFiles;
import org.vitalvault.vault.config.VaultConfig;

/** The deployment's {@link BrokerProvisioner}, from {@code vitalvault.broker.*}; checked at start-up. */
@ApplicationScoped
public class BrokerProvisionerProducer {

    @Produces
    @Singleton
    BrokerProvisioner provisioner(VaultConfig config) {
        return of(config.broker());
    }

    /** The admin connection's sockets: TLS files are read now, so a bad one stops the vault at start-up. */
    private static SocketFactory sockets(VaultConfig.Broker broker) {
        VaultConfig.Broker.Tls t = broker.tls();
        TlsFiles files = new TlsFiles("vitalvault.broker.tls", t.trustFile().map(Path::of), t.certFile().map(Path::of),
                t.keyFile().map(Path::of));
        return MqttSockets.forUrl(broker.adminUrl().orElse("tcp://"), files, 0);
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
                    broker.timeout(),
                    sockets(broker)));
        };
    }
}
