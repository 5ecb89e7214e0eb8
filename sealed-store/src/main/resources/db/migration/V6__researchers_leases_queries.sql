-- Researchers (issue 6): organisations with an Ed25519 key, the leases the vault signed for them,
-- the queries made inside a lease, and per owner what each query used and what each lease credits.
-- docs/decisions/013 says why it is shaped so.

-- An organisation and the Ed25519 public key its lease requests and queries are signed with. The
-- bearer-token subject that registered it manages it; an operator approves it before it may lease.
create table researcher_org (
    org_id        uuid        primary key,
    name          text        not null,
    subject       text        not null unique,
    public_key    bytea       not null check (length(public_key) = 32),
    kid           text        not null,
    status        text        not null check (status in ('PENDING', 'APPROVED')),
    registered_at timestamptz not null,
    approved_at   timestamptz,
    approved_by   text
);

-- A lease the vault approved: the request's terms (a query re-decides against them), the budget,
-- and the document as signed. request_id makes a replayed request refuse instead of lease twice.
create table lease (
    lease_id          uuid        primary key,
    org_id            uuid        not null references researcher_org,
    request_id        uuid        not null,
    purpose           text        not null,
    metrics           text[]      not null,
    kinds             text[]      not null,
    granularity       text        not null,
    data_from         timestamptz not null,
    data_until        timestamptz not null,
    lease_from        timestamptz not null,
    lease_until       timestamptz not null,
    coop_id           uuid,
    epsilon_requested numeric     not null,
    -- the effective ε of the decision: the lease budget
    epsilon_total     numeric     not null check (epsilon_total > 0),
    epsilon_spent     numeric     not null default 0 check (epsilon_spent >= 0 and epsilon_spent <= epsilon_total),
    minimum_cohort    int         not null,
    cohort_size       int         not null,
    -- the most the lease can cost: every eligible owner's credit
    price_cents       bigint      not null,
    -- what the organisation owes: the credits of owners whose data counted in a query so far
    credited_cents    bigint      not null default 0,
    document          text        not null,
    request_jws       text        not null,
    created_at        timestamptz not null,
    unique (org_id, request_id)
);

-- The owners eligible when the lease was approved, with the credit each is owed if their data counts.
-- Server-side only: no researcher response reads this table. A query re-decides among these owners.
create table lease_participant (
    owner_id     uuid   not null references owner on delete cascade,
    lease_id     uuid   not null references lease,
    credit_cents bigint not null,
    primary key (owner_id, lease_id)
);
create index lease_participant_by_lease on lease_participant (lease_id);

-- One query inside a lease, as the researcher signed it; query_id refuses replays.
create table lease_query (
    lease_id      uuid        not null references lease,
    query_id      uuid        not null,
    metric        text        not null,
    granularity   text        not null,
    data_from     timestamptz not null,
    data_until    timestamptz not null,
    epsilon       numeric     not null,
    asked_at      timestamptz not null,
    request_jws   text        not null,
    primary key (lease_id, query_id)
);

-- "Who used my data": one row per owner included in a query.
create table data_use (
    owner_id     uuid        not null references owner on delete cascade,
    use_id       bigint      generated always as identity,
    lease_id     uuid        not null references lease,
    query_id     uuid        not null,
    org_id       uuid        not null,
    org_name     text        not null,
    purpose      text        not null,
    metric       text        not null,
    granularity  text        not null,
    data_from    timestamptz not null,
    data_until   timestamptz not null,
    epsilon      numeric     not null check (epsilon > 0),
    used_at      timestamptz not null,
    primary key (owner_id, use_id)
);

-- What a lease credits an owner, written when the owner's data first counts in one of its queries.
create table lease_credit (
    owner_id     uuid        not null references owner on delete cascade,
    lease_id     uuid        not null references lease,
    org_id       uuid        not null,
    cents        bigint      not null check (cents >= 0),
    credited_at  timestamptz not null,
    primary key (owner_id, lease_id)
);
create index lease_credit_by_lease on lease_credit (lease_id);
