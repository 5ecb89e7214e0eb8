-- Issue 13 (decision 024): what an organisation receives is paid for and on record.
-- Every signed lease request is recorded when it arrives, before anything is decided: denials too.
-- Its ε is drawn from the organisation's discovery budget (a rolling 365 days over received_at) and
-- the rows of the last day rate-limit the organisation. request_id makes a replay refuse (409).
create table lease_request (
    org_id            uuid        not null references researcher_org,
    request_id        uuid        not null,
    request_digest    text        not null,
    received_at       timestamptz not null,
    epsilon           numeric     not null check (epsilon >= 0),
    outcome           text        not null check (outcome in ('PENDING', 'APPROVED', 'DENIED', 'FAILED')),
    -- the noisy cohort estimate the organisation was told (null until decided, or when denied before counting)
    estimated_cohort  bigint,
    lease_id          uuid,
    primary key (org_id, request_id)
);
create index lease_request_by_time on lease_request (org_id, received_at);

-- A query id is final once used: the row is written before the query is decided, whatever happens
-- next, and records how it ended. answer holds the signed answer when there is one.
alter table lease_query add column outcome text not null default 'ANSWERED'
    check (outcome in ('PENDING', 'ANSWERED', 'REFUSED', 'FAILED'));
alter table lease_query add column answer text;
