package org.vitalvault.store;

import java.util.List;

/**
 * The names of the sealed store's tables and of the columns other modules select on, in one place
 * (the schema itself is this module's Flyway migrations, {@code db/migration} on the classpath).
 * The SQL in this module spells them out in text blocks for readability; anything outside it that
 * must name one of these tables uses these constants, so a rename is found at compile time.
 */
public final class SealedTables {

    /** Flyway location of the whole vault schema, this module's resources. */
    public static final String MIGRATIONS = "db/migration";

    /** One HPKE encapsulation per owner and sealing epoch (gateway's and vault's). */
    public static final String SEAL_EPOCH = "seal_epoch";
    /** The gateway's pending sealed batches: one row per owner, metric, hour bucket and batch. */
    public static final String READING_BATCH = "reading_batch";
    /** Compacted hours: one row per owner, metric and hour, sealed points and sealed rollup. */
    public static final String READING_SEGMENT = "reading_segment";
    /** Daily rollups: one row per owner, metric and UTC day. */
    public static final String READING_DAY = "reading_day";
    /** The vault's own epoch per owner and key version, its data key wrapped by the KEK. */
    public static final String VAULT_EPOCH = "vault_epoch";
    /** Whether every compacted day has its daily rollup. */
    public static final String ROLLUP_BACKFILL = "rollup_backfill";

    /** The column that keys every owner's rows, first in every primary key. */
    public static final String OWNER_ID = "owner_id";

    /** Every table of the sealed store that holds an owner's rows. */
    public static final List<String> OWNER_TABLES = List.of(SEAL_EPOCH, READING_BATCH, READING_SEGMENT, READING_DAY,
            VAULT_EPOCH);

    private SealedTables() {
    }
}
