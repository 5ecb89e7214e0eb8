package org.vitalvault.vault.keys;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.notify.Sentences;

/**
 * An owner's key rotation, its entry in the owner's chain of the transparency log and the owner's
 * notification of it, in one transaction: an owner learns of every rotation, including one made with
 * a stolen token, and of none that did not happen.
 */
@ApplicationScoped
public class OwnerKeyRotation {

    @Inject
    OwnerKeyring keyring;

    @Inject
    OwnerNotices notices;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditLog audit;

    /** Rotates the owner's key pair and returns the new version. */
    // A checked SQLException would commit by default: roll back on it as on any runtime failure.
    @Transactional(rollbackOn = SQLException.class)
    public int rotate(UUID ownerId) throws SQLException {
        int version;
        try (Connection c = dataSource.getConnection()) {
            // Serialises concurrent rotations of the same owner.
            try (PreparedStatement lock = c.prepareStatement("select 1 from owner where owner_id = ? for update")) {
                lock.setObject(1, ownerId);
                lock.executeQuery().close();
            }
            version = keyring.rotate(c, ownerId);
        }
        // The new version only: never key material, not even a public key.
        audit.owner(ownerId, AuditKind.OWNER_KEY_ROTATED, Map.of("keyVersion", version));
        notices.post(ownerId, new Notice(NoticeKind.ACCOUNT, Sentences.keyRotated(version)));
        return version;
    }
}
