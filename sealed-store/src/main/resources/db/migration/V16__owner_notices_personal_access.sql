-- Issue 16's shared tables (docs/decisions/045): the owner's notification feed with the outbox a
-- webhook drains, and "personal accesses" -- caregiver reads and emergency (break-glass) accesses --
-- which the owner sees beside the research data uses. Texts that name people (a caregiver's label,
-- a clinician's reason) are sealed by the vault (AES-256-GCM bound to the owner id), never stored plain.

create table owner_notification (
    owner_id    uuid        not null references owner on delete cascade,
    notice_id   bigint      generated always as identity,
    kind        text        not null,
    created_at  timestamptz not null,
    sealed_text bytea       not null,
    read_at     timestamptz,
    primary key (owner_id, notice_id)
);

-- One row per notification still to be delivered to the operator's webhook (written in the same
-- transaction as the notification; deleted once the webhook answered 2xx).
create table notification_outbox (
    owner_id        uuid        not null,
    notice_id       bigint      not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    last_error      text,
    primary key (owner_id, notice_id),
    foreign key (owner_id, notice_id) references owner_notification (owner_id, notice_id) on delete cascade
);
create index notification_outbox_due on notification_outbox (next_attempt_at);

create table personal_access (
    owner_id      uuid        not null references owner on delete cascade,
    access_id     bigint      generated always as identity,
    kind          text        not null check (kind in ('caregiver', 'emergency')),
    grant_id      uuid        not null,
    sealed_detail bytea       not null,
    metric        text,
    resolution    text,
    data_from     timestamptz,
    data_until    timestamptz,
    accessed_at   timestamptz not null,
    primary key (owner_id, access_id)
);
create index personal_access_grant on personal_access (owner_id, grant_id);

-- Migrated as a superuser (tests, a developer's quarkus:dev): hand the new tables (and with them their
-- identity sequences) to the migrator as V13 does for the tables before them (DatabaseRolesTest).
do $$
begin
    if (select rolsuper from pg_roles where rolname = current_user) then
        execute 'alter table owner_notification owner to vitalvault_migrator';
        execute 'alter table notification_outbox owner to vitalvault_migrator';
        execute 'alter table personal_access owner to vitalvault_migrator';
    end if;
end;
$$;
