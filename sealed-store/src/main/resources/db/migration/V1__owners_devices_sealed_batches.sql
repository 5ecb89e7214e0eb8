-- Every table that holds owner data has owner_id as the first column of its primary key, so the
-- schema can later be distributed by owner (Citus) or hash-partitioned without a rewrite.

create table owner (
    owner_id    uuid        primary key,
    -- the bearer token's subject (OIDC 'sub') this owner signs in as
    subject     text        not null unique,
    created_at  timestamptz not null
);

-- X25519 key pairs; the private half is wrapped (AES-256-GCM) by the master key, which never
-- lives in the database. The newest version without retired_at is the one the gateway seals to.
create table owner_key (
    owner_id            uuid        not null references owner on delete cascade,
    key_version         int         not null,
    public_key          bytea       not null,
    wrapped_private_key bytea       not null,
    kek_id              text        not null,
    created_at          timestamptz not null,
    retired_at          timestamptz,
    primary key (owner_id, key_version)
);

create table device (
    owner_id        uuid        not null references owner on delete cascade,
    device_id       uuid        not null,
    name            text        not null,
    -- SHA-256 of the device credential; the credential itself is shown once, at pairing
    credential_hash bytea       not null,
    paired_at       timestamptz not null,
    unpaired_at     timestamptz,
    primary key (owner_id, device_id)
);
create unique index device_by_id on device (device_id);

-- One HPKE encapsulation per owner and sealing epoch: the gateway derives the epoch's data key
-- from the owner's public key and stores only 'enc'; the vault re-derives the key with the
-- owner's private key.
create table seal_epoch (
    owner_id    uuid        not null,
    epoch_id    uuid        not null,
    key_version int         not null,
    enc         bytea       not null,
    created_at  timestamptz not null,
    primary key (owner_id, epoch_id),
    foreign key (owner_id, key_version) references owner_key on delete cascade
);

-- One sealed row per owner, metric, hour bucket and gateway batch. Plaintext only for indexing.
create table reading_batch (
    owner_id      uuid        not null,
    metric        text        not null,
    bucket        timestamptz not null,
    batch_id      uuid        not null,
    epoch_id      uuid        not null,
    reading_count int         not null,
    sealed        bytea       not null,
    stored_at     timestamptz not null,
    primary key (owner_id, metric, bucket, batch_id),
    foreign key (owner_id, epoch_id) references seal_epoch on delete cascade
);
