package org.vitalvault.vault.broker;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The provisioner's admin connection to Mosquitto speaks TLS for an ssl:// URL (host name verified,
 * docs/decisions/034), and a TLS file that cannot be used stops the vault at start-up, naming the
 * setting, instead of failing the first pairing.
 */
class ProvisionerTlsSettingsTest {

    @Test
    void anSslAdminUrlGetsTlsSockets() {
        MosquittoProvisioner.Settings s = new MosquittoProvisioner.Settings("ssl://mosquitto:8883", "vault-provisioner",
                "pw", Duration.ofSeconds(5));
        assertInstanceOf(SSLSocketFactory.class, s.sockets());
    }

    @Test
    void aMissingTrustFileIsAStartUpErrorNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerProvisionerProducer.of(broker("ssl://mosquitto:8883", Optional.of("/nonexistent/ca.pem"))));
        assertTrue(e.getMessage().contains("vitalvault.broker.tls.trust-file"), e.getMessage());
    }

    @Test
    void tlsFilesWithAPlaintextAdminUrlAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerProvisionerProducer.of(broker("tcp://mosquitto:1883", Optional.of("/etc/ca.pem"))));
        assertTrue(e.getMessage().contains("not ssl://"), e.getMessage());
    }

    private static VaultConfig.Broker broker(String url, Optional<String> trustFile) {
        return new VaultConfig.Broker() {
            @Override
            public Provisioning provisioning() {
                return Provisioning.MOSQUITTO_DYNSEC;
            }

            @Override
            public Optional<String> adminUrl() {
                return Optional.of(url);
            }

            @Override
            public String adminUsername() {
                return "vault-provisioner";
            }

            @Override
            public Optional<String> adminPassword() {
                return Optional.of("pw");
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration outboxInterval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration outboxMaxBackoff() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Tls tls() {
                return new Tls() {
                    @Override
                    public Optional<String> trustFile() {
                        return trustFile;
                    }

                    @Override
                    public Optional<String> certFile() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<String> keyFile() {
                        return Optional.empty();
                    }
                };
            }
        };
    }
}
