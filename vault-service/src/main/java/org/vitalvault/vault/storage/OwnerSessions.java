package org.vitalvault.vault.storage;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.vault.keys.OwnerKeyring;

/** The owners' unwrapped keys for one compaction pass: each owner's opened once, all overwritten at close. */
final class OwnerSessions implements AutoCloseable {

    private final OwnerKeyring keyring;
    private final Map<UUID, OwnerKeyring.Session> sessions = new HashMap<>();

    OwnerSessions(OwnerKeyring keyring) {
        this.keyring = keyring;
    }

    OwnerKeyring.Session of(UUID ownerId) {
        return sessions.computeIfAbsent(ownerId, keyring::open);
    }

    @Override
    public void close() {
        sessions.values().forEach(OwnerKeyring.Session::close);
        sessions.clear();
    }
}
