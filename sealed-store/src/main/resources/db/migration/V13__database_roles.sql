-- Least privilege (issue 15, docs/decisions/036-database-roles.md). Three group roles, NOLOGIN;
-- login users are their members (deploy/db/roles.sql, the local stack):
--   vitalvault_migrator  owns the schema; Flyway runs as it. The only role with DDL.
--   vitalvault_vault     the vault: DML on every table, nothing else (no DDL, not an owner).
--   vitalvault_gateway   the sensor gateway parses untrusted device input, so it gets only what
--                        ingest needs: INSERT on seal_epoch and reading_batch, SELECT on the view
--                        gateway_device_directory. No consent, ledger, researcher data, wrapped keys.
--   vitalvault_broker    the embedded broker's device logins: SELECT on broker_device_credential.
-- Fixed names, no placeholders (sealed-store's Migrations class runs this file without Flyway).

-- The roles, when missing. That needs CREATEROLE: migrating as a superuser (every test, the vault's
-- Quarkus tests) creates them here; production creates them beforehand with deploy/db/roles.sql,
-- and then this block does nothing, as the migrator.
do $$
declare
    r text;
begin
    foreach r in array array['vitalvault_migrator', 'vitalvault_vault', 'vitalvault_gateway', 'vitalvault_broker'] loop
        if not exists (select 1 from pg_roles where rolname = r) then
            execute format('create role %I nologin', r);
        end if;
    end loop;
end;
$$;

-- Nobody creates objects in the schema but its owner (PostgreSQL 15+ already says so for new
-- databases; a database created by an older version still grants CREATE to PUBLIC).
revoke create on schema public from public;
grant usage on schema public to vitalvault_vault, vitalvault_gateway, vitalvault_broker;

-- The vault: rows of every table, the sequences behind identity columns; no DDL, no TRUNCATE,
-- no triggers or references of its own. Not Flyway's history, which belongs to the migrator alone
-- (a vault that rewrote it could hide a migration) — and which this migration must not touch at
-- all: Flyway holds its rows FOR UPDATE from another connection while it runs (a lock on it here
-- would wait for ever).
do $$
declare
    t text;
begin
    for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> 'flyway_schema_history'
    loop
        execute format('grant select, insert, update, delete on %I to vitalvault_vault', t);
    end loop;
end;
$$;
grant usage, select on all sequences in schema public to vitalvault_vault;
-- Owner erasure runs VACUUM owner_key so that the old row versions holding the erased wrapped key
-- leave the table file now, not whenever autovacuum gets there. VACUUM needs the owner or, since
-- PostgreSQL 17, the MAINTAIN privilege (which also allows ANALYZE, REINDEX, CLUSTER, LOCK; no
-- DDL). On an older server the VACUUM only warns and autovacuum removes them later.
do $$
begin
    if current_setting('server_version_num')::int >= 170000 then
        execute 'grant maintain on owner_key to vitalvault_vault';
    end if;
end;
$$;

-- Tables and sequences created later are the vault's too: by the migrator role (Flyway in
-- production, as the local stack's login 'migrator' whose sessions run as vitalvault_migrator) and
-- by whoever runs this migration (a superuser in tests, or a login user migrating without
-- switching role), so every later migration's tables are covered however it is run.
alter default privileges for role vitalvault_migrator in schema public
    grant select, insert, update, delete on tables to vitalvault_vault;
alter default privileges for role vitalvault_migrator in schema public
    grant usage, select on sequences to vitalvault_vault;
alter default privileges in schema public
    grant select, insert, update, delete on tables to vitalvault_vault;
alter default privileges in schema public
    grant usage, select on sequences to vitalvault_vault;

-- What the gateway reads to ingest a device's readings: the device's owner, the owner's newest
-- current public key (what it seals to) and the device's MAC settings, for paired devices only.
-- Never the device's name, its credential hash, the wrapped private key, or anything of consent,
-- ledger or researchers. A view runs with its owner's rights, so the gateway needs no right on
-- device or owner_key. security_barrier: a condition the gateway writes is applied after the
-- view's own (unpaired devices stay invisible whatever function it is given).
create view gateway_device_directory with (security_barrier) as
select d.device_id, d.owner_id, k.key_version, k.public_key as owner_public_key, d.mac_key, d.mac_required
  from device d
  cross join lateral (
        select key_version, public_key
          from owner_key
         where owner_key.owner_id = d.owner_id and owner_key.retired_at is null
         order by key_version desc
         limit 1) k
 where d.unpaired_at is null;

-- What the embedded MQTT broker checks a device's CONNECT against: SHA-256 of the credential of a
-- paired device, nothing more (no owner, no keys).
create view broker_device_credential with (security_barrier) as
select device_id, credential_hash
  from device
 where unpaired_at is null;

-- The gateway writes new sealing epochs and sealed batches (binary COPY, or INSERT … ON CONFLICT DO
-- NOTHING when a retry finds rows stored already): INSERT alone. It reads nothing back.
grant insert on seal_epoch, reading_batch to vitalvault_gateway;
grant select on gateway_device_directory to vitalvault_gateway;
grant select on broker_device_credential to vitalvault_broker;
revoke all on gateway_device_directory, broker_device_credential from vitalvault_vault;

-- Migrating as a superuser (tests; a database migrated before this version): hand the schema and
-- everything in it to the migrator, so the migrator can run every later migration. Production runs
-- deploy/db/roles.sql first, which does the same (Flyway's history included: it runs outside
-- Flyway), and then migrates as the migrator. Sequences of identity columns follow their table;
-- temporary tables are the vault's and the migrator's only (the gateway and the broker have no use
-- for them).
do $$
declare
    obj record;
begin
    if not (select rolsuper from pg_roles where rolname = current_user) then
        return;
    end if;
    execute 'alter schema public owner to vitalvault_migrator';
    for obj in
        select c.relname, c.relkind
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public'
           and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
           and c.relowner <> 'vitalvault_migrator'::regrole
           and c.relname <> 'flyway_schema_history'
           and not exists (select 1 from pg_depend dep
                            where dep.classid = 'pg_class'::regclass and dep.objid = c.oid
                              and dep.deptype in ('a', 'i', 'e'))
    loop
        execute format('alter %s %I owner to vitalvault_migrator',
                       case obj.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                        when 'f' then 'foreign table' when 'S' then 'sequence' else 'table' end,
                       obj.relname);
    end loop;
    for obj in
        select p.oid::regprocedure::text as signature
          from pg_proc p
          join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'public' and p.proowner <> 'vitalvault_migrator'::regrole
           and not exists (select 1 from pg_depend dep
                            where dep.classid = 'pg_proc'::regclass and dep.objid = p.oid and dep.deptype = 'e')
    loop
        execute format('alter function %s owner to vitalvault_migrator', obj.signature);
    end loop;
    execute format('revoke temporary on database %I from public', current_database());
    execute format('grant temporary on database %I to vitalvault_migrator, vitalvault_vault', current_database());
end;
$$;
