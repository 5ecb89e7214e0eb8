package org.vitalvault.deploy.broker;

import java.util.Objects;
import java.util.UUID;

/**
 * Who an authenticated MQTT connection is. The broker derives every topic permission from it
 * (see {@link BrokerTopicPermissions}), so the set of kinds is closed: a new kind of client needs
 * a deliberate new permission set, not a silent default.
 */
public sealed interface BrokerPrincipal {

    /**
     * The vault's sensor gateway: reads every device's readings through the shared subscription
     * and answers each device with receipts.
     *
     * @param name the service user name it authenticated with; not a secret, never blank
     */
    record Service(String name) implements BrokerPrincipal {
        public Service {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("service name must not be blank");
            }
        }
    }

    /**
     * The vault's audit checkpoint publisher (issue 17): may publish, retained, to the checkpoint
     * topic and nothing else, and read it (to see other replicas' checkpoints).
     *
     * @param name the user name it authenticated with, never blank
     */
    record AuditPublisher(String name) implements BrokerPrincipal {
        public AuditPublisher {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("audit publisher name must not be blank");
            }
        }
    }

    /**
     * An outside witness of the audit log (an auditor, a monitoring job): may only read the
     * checkpoint topic.
     *
     * @param name the user name it authenticated with, never blank
     */
    record Witness(String name) implements BrokerPrincipal {
        public Witness {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("witness name must not be blank");
            }
        }
    }

    /**
     * A paired sensor: may only write its own readings and read its own receipts.
     *
     * @param deviceId the device id in canonical UUID form (lower case, 36 characters), which is
     *                 also the topic level {@code readings/{deviceId}}; the canonical form rules
     *                 out MQTT wildcards and two spellings of one device
     */
    record Device(String deviceId) implements BrokerPrincipal {
        public Device {
            Objects.requireNonNull(deviceId, "deviceId");
            if (!isCanonicalUuid(deviceId)) {
                throw new IllegalArgumentException(
                        "deviceId must be a UUID in canonical lower-case form such as "
                                + "123e4567-e89b-42d3-a456-426614174000");
            }
        }

        /** Whether {@code text} is a UUID spelled exactly as {@link UUID#toString()} spells it. */
        static boolean isCanonicalUuid(String text) {
            if (text.length() != 36) {
                return false;
            }
            try {
                return UUID.fromString(text).toString().equals(text);
            } catch (IllegalArgumentException notAUuid) {
                return false;
            }
        }
    }
}
