package org.vitalvault.vault.storage;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.vitalvault.store.OwnerDataEraser;
import org.vitalvault.store.SealedStoreEraser;
import org.vitalvault.store.audit.AuditOwnerEraser;

/** The sealed-store module is plain Java; this makes its parts the vault injects into beans. */
public class SealedStoreBeans {

    /** The sealed rows' eraser, run by the owner's erasure with every other {@link OwnerDataEraser}. */
    @Produces
    @Singleton
    OwnerDataEraser sealedStoreEraser() {
        return new SealedStoreEraser();
    }

    /** The owner's transparency-log entries and chain head (their commitments stay in the tree). */
    @Produces
    @Singleton
    OwnerDataEraser auditOwnerEraser() {
        return new AuditOwnerEraser();
    }
}
