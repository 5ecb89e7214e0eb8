package org.vitalvault.gateway.ingest;

import java.util.UUID;

/** Whom a paired device's readings belong to, and the owner public key they are sealed to. */
public record DeviceOwner(UUID ownerId, int keyVersion, byte[] ownerPublicKey) {
}
