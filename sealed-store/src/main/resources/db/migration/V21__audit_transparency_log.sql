-- The transparency log (issue 17, docs/decisions/050): an append-only RFC 9162 Merkle tree over
-- salted commitments to every event that touches an owner's data or rights. The event's own
-- transaction writes the entry and queues its commitment (audit_pending); one sequencer at a time
-- (any vault replica, under an advisory lock) gives queued commitments their leaf index, in one
-- total order, and writes the tree's hashes as tiles; checkpoints are the signed tree heads.

-- Entry ids: unique, not ordered by commit (the leaf index is the order).
create sequence audit_entry_id_seq;

-- An owner's entries: the entry's bytes and its salt sealed together (OwnerTextSeal, purpose
-- AUDIT_ENTRY), so a dump shows neither; seq numbers the owner's entries 1, 2, 3, ... and each
-- entry names the commitment of the one before (the entry's own bytes carry seq and prev), so a
-- deleted or reordered entry leaves a gap the owner sees. Erasure deletes these rows; the
-- commitments stay in the tree and every proof stays valid.
create table audit_owner_entry (
    owner_id   uuid   not null references owner on delete cascade,
    entry_id   bigint not null,
    seq        bigint not null check (seq >= 1),
    sealed     bytea  not null,
    primary key (owner_id, entry_id),
    unique (owner_id, seq)
);

-- The head of each owner's chain, locked (FOR UPDATE, in owner id order) by the transaction that
-- appends the owner's next entry.
create table audit_owner_chain (
    owner_id        uuid   not null primary key references owner on delete cascade,
    last_seq        bigint not null check (last_seq >= 0),
    last_commitment bytea  check (last_commitment is null or octet_length(last_commitment) = 32)
);

-- Entries about no single owner (lease decisions, organisation approvals and suspensions, KEK
-- rotations and re-wraps, erasure markers): no personal data, so kept plain with their salt.
create table audit_deployment_entry (
    entry_id bigint      not null primary key,
    kind     text        not null,
    at       timestamptz not null,
    salt     bytea       not null check (octet_length(salt) = 32),
    entry    bytea       not null
);

-- Commitments waiting for a leaf index; written by the event's transaction, deleted by the
-- sequencer in the transaction that integrates them.
create table audit_pending (
    entry_id   bigint      not null primary key,
    commitment bytea       not null check (octet_length(commitment) = 32),
    queued_at  timestamptz not null default now()
);

-- Which leaf each entry became.
create table audit_leaf (
    entry_id   bigint not null primary key,
    leaf_index bigint not null unique check (leaf_index >= 0)
);

-- The tree's complete subtree hashes as tiles of height 8 (after C2SP tlog-tiles): tile
-- (tile_level L, tile_index t) holds the hashes of the nodes at tree level 8L with indexes
-- 256t .. 256t + width - 1, concatenated (32 bytes each). A partial tile (width < 256) is rewritten
-- as the tree grows; a full one never changes. Any node hash is one tile read plus at most 255
-- hashings; a proof reads O(log n) tiles in one query.
create table audit_tile (
    tile_level smallint not null check (tile_level >= 0),
    tile_index bigint   not null check (tile_index >= 0),
    width      smallint not null check (width between 1 and 256),
    hashes     bytea    not null check (octet_length(hashes) = 32 * width),
    primary key (tile_level, tile_index)
);
-- Tiles are random bytes: compressing them wastes time.
alter table audit_tile alter column hashes set storage external;

-- The tree as integrated (one row). Checkpoints sign it.
create table audit_head (
    singleton     boolean     not null primary key default true check (singleton),
    tree_size     bigint      not null check (tree_size >= 0),
    root_hash     bytea       not null check (octet_length(root_hash) = 32),
    integrated_at timestamptz not null
);
insert into audit_head (tree_size, root_hash, integrated_at)
values (0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'), now());

-- Every checkpoint issued: the signed note (C2SP signed-note over a tlog-checkpoint), by size.
create table audit_checkpoint (
    tree_size bigint      not null primary key,
    root_hash bytea       not null check (octet_length(root_hash) = 32),
    note      text        not null,
    signed_at timestamptz not null
);

-- The gateway has no business with the log: it gets no grant. The vault's DML and the sequence's
-- usage come from V13's default privileges. Migrated as a superuser, hand everything to the migrator.
do $$
begin
    if (select rolsuper from pg_roles where rolname = current_user) then
        execute 'alter table audit_owner_entry owner to vitalvault_migrator';
        execute 'alter table audit_owner_chain owner to vitalvault_migrator';
        execute 'alter table audit_deployment_entry owner to vitalvault_migrator';
        execute 'alter table audit_pending owner to vitalvault_migrator';
        execute 'alter table audit_leaf owner to vitalvault_migrator';
        execute 'alter table audit_tile owner to vitalvault_migrator';
        execute 'alter table audit_head owner to vitalvault_migrator';
        execute 'alter table audit_checkpoint owner to vitalvault_migrator';
        execute 'alter sequence audit_entry_id_seq owner to vitalvault_migrator';
    end if;
end;
$$;
