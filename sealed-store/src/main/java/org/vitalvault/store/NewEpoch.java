package org.vitalvault.store;

import java.util.UUID;

/** A sealing epoch not yet stored: its HPKE encapsulation goes into seal_epoch with the first batch using it. */
public record NewEpoch(UUID ownerId, UUID epochId, int keyVersion, byte[] enc) {
}
