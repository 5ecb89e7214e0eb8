/**
 * The sealed store: the one owner of the vault schema's migrations and of the tables that hold
 * sealed readings ({@code seal_epoch}, {@code reading_batch}, {@code reading_segment},
 * {@code reading_day}, {@code vault_epoch}). The gateway writes through {@link
 * org.vitalvault.store.ReadingBatchWriter}; the vault reads and compacts through {@link
 * org.vitalvault.store.SealedStore}, {@link org.vitalvault.store.CohortRollups}, {@link
 * org.vitalvault.store.DayRollups}, {@link org.vitalvault.store.VaultEpoch} and {@link
 * org.vitalvault.store.CompactionRows}, with its keys behind {@link org.vitalvault.store.EpochKeys};
 * erasure runs every {@link org.vitalvault.store.OwnerDataEraser}. Plain Java and JDBC, no
 * framework: every method works on the caller's connection and transaction (docs/decisions/018).
 */
package org.vitalvault.store;
