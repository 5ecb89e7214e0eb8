package org.vitalvault.gateway.ingest;

import java.util.Optional;
import java.util.UUID;

/**
 * Maps a device to its owner. Implementations may cache; an unpaired device must stop resolving
 * within the cache's lifetime.
 */
public interface DeviceDirectory {

    /** The owner of a currently paired device; empty for unknown or unpaired devices. */
    Optional<DeviceOwner> lookup(UUID deviceId) throws StoreUnavailableException;
}
