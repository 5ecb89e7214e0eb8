package org.vitalvault.vault.broker;

import java.util.UUID;

/**
 * Gives a paired device a login at the MQTT broker and takes it away at unpairing. Implementations:
 * {@link MosquittoProvisioner}, and nothing at all for a broker that reads the device table itself.
 */
public interface BrokerProvisioner {

    /** A broker that needs no provisioning (the embedded HiveMQ reads credentials from the database). */
    BrokerProvisioner NONE = new BrokerProvisioner() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void provision(UUID deviceId, String credential) {
        }

        @Override
        public void deprovision(UUID deviceId) {
        }

        @Override
        public String toString() {
            return "no broker provisioning";
        }
    };

    /** Whether there is a broker to provision at all. */
    boolean enabled();

    /**
     * Creates the device's login (user name and client id = its id, {@code credential} as password)
     * allowed to publish only its readings and read only its receipts.
     *
     * @throws ProvisioningException when the broker is unreachable, does not answer in time, or refuses
     */
    void provision(UUID deviceId, String credential) throws ProvisioningException;

    /**
     * Deletes the device's login (disconnecting it if connected); succeeds when there is none.
     *
     * @throws ProvisioningException when the broker is unreachable, does not answer in time, or refuses
     */
    void deprovision(UUID deviceId) throws ProvisioningException;
}
