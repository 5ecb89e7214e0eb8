package org.vitalvault.store.audit;

import org.vitalvault.store.RowsEraser;

/**
 * Erases an owner's log entries (sealed bytes and salts) and the head of their chain. The entries'
 * commitments stay in the tree (audit_pending until integrated, then the tiles): they are salted
 * hashes that say nothing without the deleted salt and bytes, and every checkpoint and proof stays
 * valid. Before the owner row goes (the foreign keys would cascade, but the erasure counts rows).
 */
public final class AuditOwnerEraser extends RowsEraser {

    /** After the vault's own erasers, before the owner row (1000). */
    public static final int ORDER = 950;

    public AuditOwnerEraser() {
        super(ORDER, "audit_owner_entry", "audit_owner_chain");
    }
}
