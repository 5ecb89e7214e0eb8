-- Device activity for owners (issue 16, docs/decisions/048): what the gateway did with each device's
-- messages, counted per flush window (about 10 s) by each gateway replica. Counts and reason codes
-- only: no value, no payload, no topic. The owner sees last seen and rejected records with reasons
-- (GET /owners/{ownerId}/devices, .../devices/{deviceId}/rejections); the vault notifies the owner
-- of refused records at most once per device per hour and deletes rows older than the retention.
--
-- No key: two gateway replicas may each write a row for the same device and window (they share
-- the MQTT subscription), and a read sums them. The gateway INSERTs only (no ON CONFLICT, no
-- RETURNING), so it needs no right to read the table back.
create table device_activity (
    owner_id       uuid        not null references owner on delete cascade,
    device_id      uuid        not null,
    -- The gateway's flush window: [window_start, window_start + its flush interval).
    window_start   timestamptz not null,
    -- The receive time of the newest message of this device in the window (accepted or not).
    last_at        timestamptz not null,
    accepted       integer     not null check (accepted >= 0),
    rejected_total integer     not null check (rejected_total >= 0),
    -- Rejected records by wire reason code (wire.RejectionReason), e.g. {"out-of-range": 3}.
    rejected       jsonb       not null default '{}'::jsonb check (jsonb_typeof(rejected) = 'object'),
    -- When the row reached the database: the notice job reads rows by it, so a window flushed late
    -- is still noticed.
    recorded_at    timestamptz not null default now()
);
create index device_activity_by_device on device_activity (owner_id, device_id, window_start);
create index device_activity_rejections on device_activity (recorded_at) where rejected_total > 0;
create index device_activity_age on device_activity (window_start);

-- Up to when a device's refused records were told to its owner (the "N records refused" notice):
-- the notice job moves it forward with a conditional UPDATE, so of several vault replicas exactly
-- one posts each notice.
alter table device add column rejections_noticed_at timestamptz;

-- The gateway: INSERT alone, as for its other two tables (V13). The vault's DML comes from V13's
-- default privileges.
grant insert on device_activity to vitalvault_gateway;

-- Migrated as a superuser (tests, a developer's quarkus:dev): hand the new table to the migrator as
-- V13 does for the tables before it, so the migrator owns everything (DatabaseRolesTest).
do $$
begin
    if (select rolsuper from pg_roles where rolname = current_user) then
        execute 'alter table device_activity owner to vitalvault_migrator';
    end if;
end;
$$;
