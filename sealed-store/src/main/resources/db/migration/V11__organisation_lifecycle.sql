-- Organisation lifecycle (issue 13, docs/decisions/026): an operator suspends an organisation and
-- reinstates it; an organisation rotates its request-signing key and every key it ever used stays
-- listed. No table here holds an owner id (owner erasure has nothing to do in them).

-- SUSPENDED: an operator stopped the organisation; it may neither lease nor query until reinstated.
-- The current suspension's who/when/why sits on the row (null unless suspended); every change is
-- kept in researcher_org_status_change.
alter table researcher_org drop constraint researcher_org_status_check;
alter table researcher_org add constraint researcher_org_status_check
    check (status in ('PENDING', 'APPROVED', 'SUSPENDED'));
alter table researcher_org
    add column suspended_at      timestamptz,
    add column suspended_by      text,
    add column suspension_reason text,
    add constraint researcher_org_suspension_check check (
        (suspended_at is null) = (suspended_by is null)
        and (suspended_at is null) = (suspension_reason is null)
        and (status = 'SUSPENDED') = (suspended_at is not null));

-- Every suspension and reinstatement: the status it set, the operator's token subject and why.
create table researcher_org_status_change (
    change_id  bigint      generated always as identity primary key,
    org_id     uuid        not null references researcher_org,
    status     text        not null check (status in ('PENDING', 'APPROVED', 'SUSPENDED')),
    reason     text        not null,
    changed_by text        not null,
    changed_at timestamptz not null
);
create index researcher_org_status_change_by_org on researcher_org_status_change (org_id, change_id);

-- Every request-signing key an organisation has had. researcher_org.public_key and kid stay the
-- current key (read on every signed request, no join); the current key is also here, with
-- retired_at null, so a lease document's lessee kid can always be looked up, before and after a
-- rotation. A key, once retired, never becomes current again (the primary key refuses it). Each
-- rotation's JWS is kept: the chain from the registered key to the current one can be re-verified.
create table researcher_key (
    org_id     uuid        not null references researcher_org,
    kid        text        not null,
    public_key bytea       not null check (length(public_key) = 32),
    valid_from timestamptz not null,
    retired_at timestamptz,
    -- the rotation that made it current, a JWS signed by the key before it; null for the registered key
    rotation_jws text,
    primary key (org_id, kid),
    check (retired_at is null or retired_at >= valid_from)
);
-- At most one current key per organisation: two rotations racing cannot both win.
create unique index researcher_key_current on researcher_key (org_id) where retired_at is null;

-- The keys organisations registered before this migration: current since registration.
insert into researcher_key (org_id, kid, public_key, valid_from)
select org_id, kid, public_key, registered_at from researcher_org;
