package org.vitalvault.gateway.ingest;

import java.util.UUID;

/**
 * Whom a paired device's readings belong to, the owner public key they are sealed to, and how the
 * device authenticates its payloads.
 *
 * @param macKey      the device's COSE_Mac0 key (HMAC 256/256), or null when it has none
 * @param macRequired when true, every message without a valid MAC is rejected
 */
public record DeviceOwner(UUID ownerId, int keyVersion, byte[] ownerPublicKey, byte[] macKey, boolean macRequired) {

    @Override
    public String toString() {
        return "DeviceOwner[" + ownerId + ", v" + keyVersion + ", macRequired=" + macRequired + "]";
    }
}
