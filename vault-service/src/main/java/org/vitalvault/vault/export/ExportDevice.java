package org.vitalvault.vault.export;

import java.util.Objects;
import java.util.UUID;

/**
 * A device as an export describes it.
 *
 * @param id     the vault's device id
 * @param name   the owner's name for it; null when unknown (a device whose record is gone)
 * @param paired false once unpaired
 */
record ExportDevice(UUID id, String name, boolean paired) {

    ExportDevice {
        Objects.requireNonNull(id, "id");
    }
}
