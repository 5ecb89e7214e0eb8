package org.vitalvault.notify;

/**
 * PostgreSQL {@code LISTEN}/{@code NOTIFY} channels shared by the vault (which notifies) and the
 * gateway and local broker (which listen). A channel name is an SQL identifier: it cannot be a bind
 * parameter of {@code LISTEN}, so listeners concatenate these constants, which is why they are
 * plain lower-case identifiers. Notifiers should use {@code pg_notify(channel, payload)} with both
 * bound.
 */
public final class NotifyChannels {

    /**
     * A device was unpaired or erased; the payload is its device id (a UUID in text). Sent inside the
     * transaction that unpairs, so listeners hear it only when the change committed.
     */
    public static final String DEVICE_UNPAIRED = "vitalvault_device_unpaired";

    private NotifyChannels() {
    }
}
