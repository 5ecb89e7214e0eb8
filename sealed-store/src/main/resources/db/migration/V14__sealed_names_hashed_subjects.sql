-- What a database dump shows (issue 15, docs/decisions/037). Login subjects are stored keyed-hashed
-- (HMAC-SHA-256 under the vault's subject key, itself stored here wrapped by the KEK), device names
-- sealed to the owner's X25519 key (HPKE, like readings), shared attributes sealed under a vault key. SQL can compute neither, so this
-- migration only makes room: the plaintext columns become nullable and new rows leave them null; the
-- vault's start-up backfill (upgrade.PlaintextBackfill, idempotent, in batches) hashes and seals the
-- rows written before and nulls their plaintext. A later migration drops the plaintext columns once
-- every deployment has run the backfill.

-- The vault's own secrets, each wrapped by the KEK (MasterKey.wrapSecret, bound to its name); KEK
-- rotation re-wraps them before the owner keys. Holds no owner id.
create table vault_secret (
    name       text        primary key,
    wrapped    bytea       not null,
    kek_id     text        not null,
    created_at timestamptz not null
);

-- Owners: HMAC-SHA-256(subject key, "vitalvault/v1/subject/owner" || 0x00 || subject).
alter table owner add column subject_hash bytea;
alter table owner alter column subject drop not null;
create unique index owner_by_subject_hash on owner (subject_hash);
alter table owner add constraint owner_subject_stored check (subject is not null or subject_hash is not null);

-- Organisations: the same under their own label, so one person who is both an owner and an
-- organisation's manager shows as two unrelated hashes.
alter table researcher_org add column subject_hash bytea;
alter table researcher_org alter column subject drop not null;
create unique index researcher_org_by_subject_hash on researcher_org (subject_hash);
alter table researcher_org add constraint researcher_org_subject_stored
    check (subject is not null or subject_hash is not null);

-- Who made a consent change: hashed like an owner's subject (today the actor is the owner).
alter table consent_event add column actor_hash bytea;
alter table consent_event alter column actor drop not null;
alter table consent_event add constraint consent_event_actor_stored check (actor is not null or actor_hash is not null);

-- consent_event stays append-only; the one change allowed besides the owner's erasure is the
-- backfill's: replacing a plaintext actor by its hash, nothing else, in a transaction that says so.
create or replace function consent_event_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if current_setting('vitalvault.erasing_owner', true) = old.owner_id::text then
            return old;
        end if;
    end if;
    if tg_op = 'UPDATE' and current_setting('vitalvault.hashing_actors', true) = 'on'
            and old.actor is not null and old.actor_hash is null
            and new.actor is null and new.actor_hash is not null
            and (new.owner_id, new.seq, new.receipt_id, new.action, new.consent_id, new.coop_id, new.occurred_at, new.jws)
                is not distinct from
                (old.owner_id, old.seq, old.receipt_id, old.action, old.consent_id, old.coop_id, old.occurred_at, old.jws) then
        return new;
    end if;
    raise exception 'consent_event is append-only (% refused)', tg_op;
end;
$$;

-- Devices: the name sealed to the owner's key version name_key_version (DeviceNameSeal); owner-key
-- rotation re-seals it to the new version in the rotating transaction.
alter table device add column name_sealed bytea;
alter table device add column name_key_version int;
alter table device alter column name drop not null;
alter table device add constraint device_name_stored
    check (name is not null or (name_sealed is not null and name_key_version is not null));

-- Shared attributes (V7): sealed under the vault's attributes key (vault_secret 'shared-attributes',
-- AES-256-GCM bound to the owner id). Lease decisions load them by owner id and filter in the policy
-- module, so no SQL filter needs them in the clear. New rows leave age_band, sex and region null.
alter table owner_shared_attributes add column sealed bytea;

-- Least privilege (V13, docs/decisions/036): the vault reads and writes its secrets; nobody else.
-- Migrated by a superuser (tests, an upgrade before roles.sql), the new table goes to the migrator
-- like everything V13 handed over, so the migrator can run later migrations on it.
do $$
begin
    execute 'grant select, insert, update on vault_secret to vitalvault_vault';
    if (select rolsuper from pg_roles where rolname = current_user) then
        execute 'alter table vault_secret owner to vitalvault_migrator';
    end if;
end;
$$;
