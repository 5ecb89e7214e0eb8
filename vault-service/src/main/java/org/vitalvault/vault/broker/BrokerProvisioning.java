package org.vitalvault.vault.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vitalvault.vault.refusal.Unavailable;

/**
 * What pairing, unpairing and erasure ask of the broker, inside their transactions
 * (docs/decisions/029). Pairing waits for the broker and fails whole when it cannot be told;
 * unpairing never waits: it records the deletion in the outbox with the unpairing, and the outbox
 * worker tells the broker right after the commit, and again until the broker confirmed.
 */
@ApplicationScoped
public class BrokerProvisioning {

    private static final Logger LOG = Logger.getLogger(BrokerProvisioning.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    @Inject
    BrokerProvisioner provisioner;

    @Inject
    BrokerOutbox outbox;

    @Inject
    BrokerOutboxWorker worker;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /**
     * Creates the device's broker login, as the last step of the pairing's transaction (after the
     * device row is flushed). Should the pairing not commit after all, the login is deleted again.
     *
     * @throws Unavailable when the broker is unreachable, silent or refuses: nothing is paired
     */
    public void provision(UUID deviceId, String credential) {
        if (!provisioner.enabled()) {
            return;
        }
        try {
            provisioner.provision(deviceId, credential);
        } catch (ProvisioningException e) {
            LOG.warnf("pairing device %s refused: %s", deviceId, e.getMessage());
            if (e.commandSent()) {
                worker.cleanUpFailedPairing(deviceId);
            }
            throw new Unavailable("broker-unavailable", "Broker unavailable",
                    "the MQTT broker could not register the device, so nothing was paired; try again shortly",
                    RETRY_AFTER);
        }
        transactions.registerInterposedSynchronization(after(status -> {
            if (status != Status.STATUS_COMMITTED) {
                worker.cleanUpFailedPairing(deviceId);
            }
        }));
    }

    /** Records, in the unpairing's transaction, that the device's broker login must go; told right after commit. */
    public void deprovision(UUID deviceId) {
        if (!provisioner.enabled()) {
            return;
        }
        outbox.record(deviceId);
        transactions.registerInterposedSynchronization(after(status -> {
            if (status == Status.STATUS_COMMITTED) {
                worker.wake();
            }
        }));
    }

    /** Records, on an erasure's connection and in its transaction, that these devices' logins must go. */
    public void deprovision(Connection c, Collection<UUID> deviceIds) throws SQLException {
        if (provisioner.enabled() && !deviceIds.isEmpty()) {
            outbox.record(c, deviceIds);
        }
    }

    private static Synchronization after(java.util.function.IntConsumer completed) {
        return new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                completed.accept(status);
            }
        };
    }
}
