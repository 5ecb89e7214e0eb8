-- Break-glass (docs/decisions/047): an owner may let a clinician in when they cannot grant access
-- themselves. The owner opts in and gets an emergency code, shown once; a clinician who presents it
-- with a stated reason opens an episode: read-only, latest values and the last 24 h, for a bounded time.

-- One row per owner who opted in (no row: off, the default). Looked up by the code alone -- the
-- clinician knows no owner id -- so the code's keyed hash is unique vault-wide; on Citus a reference
-- table (CitusLayout). The code itself is never stored: HMAC-SHA-256 under the vault secret
-- "emergency-code", so a dump cannot be searched for codes without the KEK.
create table emergency_access (
    owner_id   uuid        primary key references owner on delete cascade,
    code_hash  bytea       not null unique,
    enabled_at timestamptz not null
);

-- One row per episode. The clinician's subject is kept twice, neither plainly: as a keyed hash
-- (SubjectHashes, label clinician) to tell whether a later read is the same clinician's, and sealed
-- with the reason under the owner (OwnerTextSeal, EMERGENCY_REASON) for the owner to read.
create table emergency_episode (
    owner_id       uuid        not null references owner on delete cascade,
    episode_id     uuid        not null,
    clinician_hash bytea       not null,
    sealed_detail  bytea       not null,
    started_at     timestamptz not null,
    expires_at     timestamptz not null,
    ended_at       timestamptz,
    ended_by       text        check (ended_by in ('owner', 'disabled')),
    primary key (owner_id, episode_id),
    check (expires_at > started_at),
    check ((ended_at is null) = (ended_by is null))
);
-- A clinician's read names the episode only (ids are random UUIDs; not unique on its own for Citus).
create index emergency_episode_by_id on emergency_episode (episode_id);

-- Failed code attempts per fixed window, per clinician (scope = 'clinician:' || hex of the subject's
-- keyed hash) and for the whole vault (scope 'global'). Every attempt is charged before the code is
-- looked at, in a transaction of its own; an attempt that opened an episode is refunded. Holds no
-- owner id; rows of past windows are overwritten in place.
create table emergency_attempt (
    scope        text        primary key,
    window_start timestamptz not null,
    failures     integer     not null check (failures >= 0)
);

-- Migrated as a superuser (tests, a developer's quarkus:dev): hand the new tables to the migrator as
-- V13 does for the tables before them (DatabaseRolesTest).
do $$
begin
    if (select rolsuper from pg_roles where rolname = current_user) then
        execute 'alter table emergency_access owner to vitalvault_migrator';
        execute 'alter table emergency_episode owner to vitalvault_migrator';
        execute 'alter table emergency_attempt owner to vitalvault_migrator';
    end if;
end;
$$;
