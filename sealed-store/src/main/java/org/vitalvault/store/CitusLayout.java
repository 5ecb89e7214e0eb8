package org.vitalvault.store;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where every table of the vault schema goes when the database grows onto Citus (distributed
 * PostgreSQL), by owner: docs/decisions/041. The order of {@link #TABLES} is the order of the
 * distribution plan ({@link #planSql()}): Citus distributes a foreign key's target before the table
 * that references it. CitusReadinessTest holds the real schema to this layout, so a new table fails
 * the build until its author decides where it goes, and a new key that Citus would refuse fails too.
 */
public final class CitusLayout {

    /** How Citus holds a table. */
    public enum Placement {
        /** Hash-distributed by {@code owner_id}, colocated with {@link #ANCHOR}: one owner's rows on one shard. */
        DISTRIBUTED,
        /** One shard replicated to every node (small, shared, any unique key allowed; writes are 2PC). */
        REFERENCE,
        /** Stays on the coordinator only. */
        LOCAL
    }

    /** A table, where it goes and why. */
    public record Table(String name, Placement placement, String why) {
    }

    /**
     * A key of a distributed table that Citus would refuse, kept on single-node PostgreSQL on purpose
     * until the step of decision 041 named in {@code why} replaces it.
     */
    public record Exemption(String table, String constraint, String why) {
    }

    /** The distributed table the others are colocated with. */
    public static final String ANCHOR = "owner_key";

    /** The distribution column of every distributed table. */
    public static final String DISTRIBUTION_COLUMN = SealedTables.OWNER_ID;

    /** Every table of the schema, in plan order. */
    public static final List<Table> TABLES = List.of(
            // Reference tables first: the distributed tables' foreign keys point at owner, coop and lease.
            new Table("owner", Placement.REFERENCE, "one small row per owner; its subject must be unique vault-wide and"
                    + " is looked up on every request without an owner id, which any node then answers locally;"
                    + " every owner table references it (distributed -> reference) and coop.founder_owner_id does"
                    + " too (reference -> reference, which Citus allows and distributed -> reference would not)"),
            new Table("researcher_org", Placement.REFERENCE, "organisations: few, shared, unique subject"),
            new Table("vault_secret", Placement.REFERENCE, "the vault's own KEK-wrapped keys: a few rows every vault reads"),
            new Table("researcher_org_status_change", Placement.REFERENCE, "an organisation's suspensions: few"),
            new Table("researcher_key", Placement.REFERENCE, "organisations' signing keys: few"),
            new Table("lease_request", Placement.REFERENCE, "an organisation's requests: rate-limited, one per lease"
                    + " asked"),
            new Table("lease", Placement.REFERENCE, "leases: few, read with every owner's participation and credit"
                    + " (distributed -> reference foreign keys)"),
            new Table("lease_query", Placement.REFERENCE, "queries inside a lease: one row per signed query"),
            new Table("coop", Placement.REFERENCE, "co-ops and their standing terms: few, joined by every member"),
            new Table("rollup_backfill", Placement.REFERENCE, "one row of system state"),
            new Table("broker_outbox", Placement.REFERENCE, "holds no owner id; written in the unpairing's"
                    + " transaction on whichever node runs it, emptied once the broker confirms: a handful of rows"),
            new Table("care_invite_failure", Placement.REFERENCE, "holds no owner id: failed invite redemptions"
                    + " per caregiver subject hash, pruned after an hour (a handful of rows)"),
            new Table("emergency_access", Placement.REFERENCE, "owners who allow break-glass: one small row each,"
                    + " found by the emergency code's hash alone (a clinician knows no owner id), which must be"
                    + " unique vault-wide (decision 047)"),
            new Table("emergency_attempt", Placement.REFERENCE, "failed emergency-code attempts per clinician and"
                    + " vault-wide: no owner id, rate-limited, a row per clinician who mistyped"),
            // The owner's data, colocated by owner_id; the anchor first, then foreign-key targets first.
            new Table(ANCHOR, Placement.DISTRIBUTED, "an owner's key pairs"),
            new Table("device", Placement.DISTRIBUTED, "an owner's devices"),
            new Table("seal_epoch", Placement.DISTRIBUTED, "an owner's sealing epochs"),
            new Table("vault_epoch", Placement.DISTRIBUTED, "the vault's epoch per owner and key version"),
            new Table("reading_batch", Placement.DISTRIBUTED, "an owner's sealed batches"),
            new Table("reading_segment", Placement.DISTRIBUTED, "an owner's compacted hours"),
            new Table("reading_day", Placement.DISTRIBUTED, "an owner's daily rollups"),
            new Table("owner_shared_attributes", Placement.DISTRIBUTED, "what an owner shares for cohorts"),
            new Table("consent_grant", Placement.DISTRIBUTED, "an owner's grants"),
            new Table("coop_membership", Placement.DISTRIBUTED, "an owner's co-op memberships"),
            new Table("consent_event", Placement.DISTRIBUTED, "an owner's consent trail"),
            new Table("privacy_ledger", Placement.DISTRIBUTED, "an owner's privacy loss"),
            new Table("lease_participant", Placement.DISTRIBUTED, "an owner's eligibility in a lease"),
            new Table("lease_credit", Placement.DISTRIBUTED, "what a lease credits an owner"),
            new Table("data_use", Placement.DISTRIBUTED, "who used an owner's data"),
            new Table("owner_notification", Placement.DISTRIBUTED, "an owner's notification feed"),
            new Table("notification_outbox", Placement.DISTRIBUTED, "an owner's notifications not yet sent to the webhook"),
            new Table("personal_access", Placement.DISTRIBUTED, "caregiver reads and emergency accesses of an owner's data"),
            new Table("device_activity", Placement.DISTRIBUTED, "what the gateway did with an owner's devices' messages"
                    + " (counts per window); the gateway's INSERT names the owner, every read names the owner"),
            new Table("care_delegation", Placement.DISTRIBUTED, "an owner's caregivers; a caregiver's own requests"
                    + " find theirs by subject hash across shards (few rows per caregiver)"),
            new Table("emergency_episode", Placement.DISTRIBUTED, "an owner's break-glass episodes; a clinician's"
                    + " read finds its episode by id across shards (rare, and only while an emergency lasts)"),
            new Table("audit_owner_entry", Placement.DISTRIBUTED, "an owner's transparency-log entries (sealed);"
                    + " appended in the event's transaction, read only with the owner's id (decision 050)"),
            new Table("audit_owner_chain", Placement.DISTRIBUTED, "the head of an owner's entry chain, locked by the"
                    + " transaction that appends the owner's next entry on the owner's shard"),
            // The log's one total order: a single sequencer writes these at tens of thousands of rows a
            // second under one advisory lock. REFERENCE would make each of its writes a two-phase commit on
            // every node; DISTRIBUTED has no owner to distribute by and would split the order. They stay
            // on the coordinator, where the sequencer and every proof read them.
            new Table("audit_deployment_entry", Placement.LOCAL, "entries about no single owner (no personal"
                    + " data), appended with the event and read with the log's proofs on the coordinator"),
            new Table("audit_pending", Placement.LOCAL, "the sequencer's queue: every event's transaction inserts"
                    + " a commitment and the sequencer deletes it at 20k rows/s, so not a 2PC reference table"),
            new Table("audit_leaf", Placement.LOCAL, "entry id -> leaf index, written by the sequencer at 20k rows/s"
                    + " and unique on leaf_index across the whole log, which no owner-keyed shard can enforce"),
            new Table("audit_tile", Placement.LOCAL, "the tree's hashes: rewritten by every integration, read by"
                    + " every proof; one total order lives on one node"),
            new Table("audit_head", Placement.LOCAL, "one row: the integrated tree, locked by the sequencer"),
            new Table("audit_checkpoint", Placement.LOCAL, "the signed tree heads, one every few seconds, next to"
                    + " the tree they sign"),
            // Flyway's own history: the vault migrates through the coordinator (tests do without it).
            new Table("flyway_schema_history", Placement.LOCAL, "Flyway's migration history, read and written only"
                    + " by the migration run on the coordinator"));

    /** The keys Citus would refuse that stay until a later step; CitusReadinessTest fails on any other. */
    public static final List<Exemption> EXEMPTIONS = List.of(
            new Exemption("device", "device_by_id", "device ids are unique vault-wide and the gateway and the"
                    + " broker look a device up by its id alone (its topic carries no owner): on Citus both move to"
                    + " the reference table device_route (device_id primary key, owner_id), written with the pairing"
                    + " (decision 041, step 1), and this index becomes non-unique"));

    private CitusLayout() {
    }

    /** The table's placement, if it has one. */
    public static Optional<Placement> placementOf(String table) {
        return TABLES.stream().filter(t -> t.name().equals(table)).map(Table::placement).findFirst();
    }

    /**
     * The distribution plan, in order: reference tables, then the anchor with its own colocation
     * group, then every other owner table colocated with it. Local tables are not named.
     */
    public static String planSql() {
        return TABLES.stream().map(CitusLayout::statement).flatMap(Optional::stream)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static Optional<String> statement(Table t) {
        return switch (t.placement()) {
            case REFERENCE -> Optional.of("select create_reference_table('" + t.name() + "');");
            case DISTRIBUTED -> Optional.of("select create_distributed_table('" + t.name() + "', '"
                    + DISTRIBUTION_COLUMN + "', colocate_with => '" + (t.name().equals(ANCHOR) ? "none" : ANCHOR)
                    + "');");
            case LOCAL -> Optional.empty();
        };
    }
}
