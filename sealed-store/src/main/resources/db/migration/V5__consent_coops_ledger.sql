-- Consent (issue 5): owners' grants, co-ops and their memberships, the per-owner privacy-loss
-- ledger, and the append-only trail of consent changes. docs/decisions/012 says why it is shaped so.
--
-- Terms are stored as typed columns, the same ten in every table that holds terms (grant, co-op,
-- membership): a lease decision loads them at every query and filters by audience in SQL, and
-- nothing here is opaque to an operator's query. Their rules (k >= 11, epsilon > 0, known metrics,
-- windows that end after they start) live in the policy module; every row is written from a
-- validated org.vitalvault.policy.consent.Terms, so the columns only say NOT NULL.

-- A grant to one researcher organisation or to any researcher for one purpose. Grants to a co-op
-- are memberships (below). Revocation is a time, not a deletion: the row stays, out of force.
create table consent_grant (
    owner_id            uuid        not null references owner on delete cascade,
    grant_id            uuid        not null,
    audience_researcher uuid,
    audience_purpose    text,
    purposes            text[]      not null,
    metrics             text[]      not null,
    kinds               text[]      not null,
    finest_granularity  text        not null,
    data_from           timestamptz not null,
    data_until          timestamptz not null,
    valid_from          timestamptz not null,
    valid_until         timestamptz not null,
    minimum_cohort      int         not null,
    -- the shortest decimal that reads back as the same double: exact, and readable
    epsilon_per_lease   numeric     not null,
    epsilon_per_year    numeric     not null,
    price_tier          text        not null,
    -- 1 at creation, +1 per amendment; receipts name the version they attest
    version             int         not null,
    created_at          timestamptz not null,
    amended_at          timestamptz,
    revoked_at          timestamptz,
    primary key (owner_id, grant_id),
    check (num_nonnulls(audience_researcher, audience_purpose) = 1)
);
create unique index consent_grant_by_id on consent_grant (grant_id);
-- A lease decision loads every grant for its researcher or its purpose.
create index consent_grant_by_researcher on consent_grant (audience_researcher) where audience_researcher is not null;
create index consent_grant_by_purpose on consent_grant (audience_purpose) where audience_purpose is not null;

-- A co-op and its standing terms: the grant template members adopt. The terms never change (a
-- member adopted exactly these); new terms are a new co-op.
create table coop (
    coop_id             uuid        primary key,
    name                text        not null,
    -- the owner who created it; kept only while that owner exists
    founder_owner_id    uuid        references owner on delete set null,
    purposes            text[]      not null,
    metrics             text[]      not null,
    kinds               text[]      not null,
    finest_granularity  text        not null,
    data_from           timestamptz not null,
    data_until          timestamptz not null,
    valid_from          timestamptz not null,
    valid_until         timestamptz not null,
    minimum_cohort      int         not null,
    epsilon_per_lease   numeric     not null,
    epsilon_per_year    numeric     not null,
    price_tier          text        not null,
    created_at          timestamptz not null
);

-- An owner's membership of a co-op, with their own (stricter) terms or none. Leaving sets left_at;
-- joining again is a new row.
create table coop_membership (
    owner_id            uuid        not null references owner on delete cascade,
    coop_id             uuid        not null references coop,
    joined_at           timestamptz not null,
    left_at             timestamptz,
    purposes            text[],
    metrics             text[],
    kinds               text[],
    finest_granularity  text,
    data_from           timestamptz,
    data_until          timestamptz,
    valid_from          timestamptz,
    valid_until         timestamptz,
    minimum_cohort      int,
    epsilon_per_lease   numeric,
    epsilon_per_year    numeric,
    price_tier          text,
    primary key (owner_id, coop_id, joined_at),
    -- own terms are all there or all absent
    check (num_nulls(purposes, metrics, kinds, finest_granularity, data_from, data_until, valid_from, valid_until,
                     minimum_cohort, epsilon_per_lease, epsilon_per_year, price_tier) in (0, 12))
);
create unique index coop_membership_current on coop_membership (owner_id, coop_id) where left_at is null;
-- A decision for a co-op's lease loads its current members.
create index coop_membership_by_coop on coop_membership (coop_id) where left_at is null;

-- Privacy loss charged to an owner: one row per owner and release of a lease (written by the
-- queries of issue 6). The yearly budget is a rolling 365 days over charged_at. No foreign key to
-- a lease yet: the lease table comes with issue 6.
create table privacy_ledger (
    owner_id    uuid        not null references owner on delete cascade,
    entry_id    bigint      generated always as identity,
    lease_id    uuid        not null,
    charged_at  timestamptz not null,
    epsilon     numeric     not null check (epsilon > 0),
    primary key (owner_id, entry_id)
);
create index privacy_ledger_by_time on privacy_ledger (owner_id, charged_at);

-- Every consent change (grant created, amended, revoked; co-op joined, left): who, what, when, and
-- the signed receipt the owner was given. Append-only: see the trigger below.
create table consent_event (
    owner_id     uuid        not null references owner on delete cascade,
    seq          bigint      generated always as identity,
    receipt_id   uuid        not null unique,
    action       text        not null,
    -- the grant's id (for a co-op membership, the id of the grant it amounts to)
    consent_id   uuid        not null,
    coop_id      uuid,
    -- the bearer-token subject that made the change
    actor        text        not null,
    occurred_at  timestamptz not null,
    -- the receipt as the vault signed it (compact JWS; its payload is the receipt JSON)
    jws          text        not null,
    primary key (owner_id, seq)
);

-- Append-only: no row is ever changed, and none deleted except by the owner's erasure, which
-- names the owner it erases in the transaction-local setting vitalvault.erasing_owner.
create function consent_event_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if current_setting('vitalvault.erasing_owner', true) = old.owner_id::text then
            return old;
        end if;
    end if;
    raise exception 'consent_event is append-only (% refused)', tg_op;
end;
$$;
create trigger consent_event_no_update before update or delete on consent_event
    for each row execute function consent_event_append_only();
create trigger consent_event_no_truncate before truncate on consent_event
    for each statement execute function consent_event_append_only();
