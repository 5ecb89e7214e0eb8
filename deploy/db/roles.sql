-- Vital Vault database roles (docs/decisions/036-database-roles.md). Run once, as a superuser,
-- in the vault's database, BEFORE the vault's first start (and before upgrading a database that
-- was migrated as a superuser before version 13 of the schema). Safe to run again.
--
--   psql -v ON_ERROR_STOP=1 -d vitalvault -f deploy/db/roles.sql
--
-- Then create one login per service and give each its password interactively, so no password is
-- on a command line or in a shell history:
--
--   create role migrator login in role vitalvault_migrator;
--   alter role migrator set role = 'vitalvault_migrator';  -- what it creates belongs to the group role
--   create role vault    login in role vitalvault_vault;
--   create role gateway  login in role vitalvault_gateway;
--   \password migrator
--   \password vault
--   \password gateway
--
-- and configure the services (environment variables, never -D flags):
--   vault:   QUARKUS_DATASOURCE_USERNAME=vault    QUARKUS_DATASOURCE_PASSWORD=…
--            QUARKUS_FLYWAY_USERNAME=migrator     QUARKUS_FLYWAY_PASSWORD=…
--   gateway: QUARKUS_DATASOURCE_USERNAME=gateway  QUARKUS_DATASOURCE_PASSWORD=…
-- (vitalvault_broker is for the local stack's embedded broker; Mosquitto does not read the database.)
--
-- What each group role may do with the tables is granted by the migrations, as the migrator: the
-- gateway may INSERT into seal_epoch and reading_batch (V13) and device_activity (V20), read the view
-- gateway_device_directory, and nothing else.
--
-- The local stack (deploy/run-local.sh) runs this file on every start and makes the logins itself,
-- with generated passwords in data/db/ (mode 0600).

-- The group roles. NOLOGIN: only their members log in.
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

-- The migrator owns the schema and is the only role that may create objects in it.
alter schema public owner to vitalvault_migrator;
revoke create on schema public from public;

-- Temporary tables only for the vault and the migrator; every service may connect.
do $$
begin
    execute format('revoke temporary on database %I from public', current_database());
    execute format('grant temporary on database %I to vitalvault_migrator, vitalvault_vault', current_database());
    execute format('grant connect on database %I to vitalvault_migrator, vitalvault_vault, vitalvault_gateway,'
                   ' vitalvault_broker', current_database());
end;
$$;

-- Tables a superuser creates later (a developer's `quarkus:dev` vault migrating as postgres) are the
-- vault's to change too; the migrator's own defaults are set by migration V13.
alter default privileges in schema public grant select, insert, update, delete on tables to vitalvault_vault;
alter default privileges in schema public grant usage, select on sequences to vitalvault_vault;

-- A database migrated before as another role (a superuser, before schema version 13): hand every
-- table, view, sequence and function of the schema to the migrator, so it can run the later
-- migrations (V13 grants on these tables, which only their owner may do). Nothing to do otherwise.
do $$
declare
    obj record;
begin
    for obj in
        select c.relname, c.relkind
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public'
           and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
           and c.relowner <> 'vitalvault_migrator'::regrole
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
end;
$$;
