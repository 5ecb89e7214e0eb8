-- Caregivers (issue 16, docs/decisions/046): an owner lets a family member or nurse read some of
-- their data, read-only, scoped to metrics, a finest resolution, a window of data times and an
-- expiry. Nothing here names a person in plain text: the owner's label for the caregiver and the
-- name the caregiver sees the owner by are sealed by the vault (AES-256-GCM bound to the owner id),
-- the caregiver's login subject is a keyed hash (like owner.subject_hash), the invite code a SHA-256
-- of an 80-bit random code.

create table care_delegation (
    owner_id            uuid        not null references owner on delete cascade,
    delegation_id       uuid        not null,
    sealed_label        bytea       not null,
    sealed_shared_as    bytea,
    -- null until an invite is redeemed; set at creation when the owner named the caregiver's subject
    caregiver_hash      bytea,
    -- null once redeemed (single use), and for a delegation made for a named subject
    invite_hash         bytea,
    metrics             text[]      not null,
    finest_resolution   text        not null check (finest_resolution in ('raw', 'minute', 'hour', 'day')),
    window_from         timestamptz,
    window_until        timestamptz,
    expires_at          timestamptz not null,
    created_at          timestamptz not null,
    accepted_at         timestamptz,
    revoked_at          timestamptz,
    -- when the owner was last told of a read (CAREGIVER_READ at most once an hour per delegation)
    read_noticed_at     timestamptz,
    primary key (owner_id, delegation_id),
    check (window_until is null or window_from is not null and window_from < window_until)
);
-- A caregiver's requests carry no owner id: found by the subject's hash, or by the invite's. Not
-- unique (Citus refuses a unique key without owner_id): 80 random bits keep invite hashes apart.
create index care_delegation_caregiver on care_delegation (caregiver_hash) where caregiver_hash is not null;
create index care_delegation_invite on care_delegation (invite_hash) where invite_hash is not null;

-- Failed invite redemptions per caregiver subject (hashed), to bound guessing: pruned after an hour.
create table care_invite_failure (
    caregiver_hash bytea       not null,
    failure_id     bigint      generated always as identity,
    failed_at      timestamptz not null,
    primary key (caregiver_hash, failure_id)
);

-- Migrated as a superuser (tests, a developer's quarkus:dev): hand the new tables to the migrator as
-- V13 does for the tables before them (DatabaseRolesTest).
do $$
begin
    if (select rolsuper from pg_roles where rolname = current_user) then
        execute 'alter table care_delegation owner to vitalvault_migrator';
        execute 'alter table care_invite_failure owner to vitalvault_migrator';
    end if;
end;
$$;
