-- Broker provisioning outbox (issue 14, docs/decisions/029): devices whose client must be deleted
-- from an external broker (Mosquitto's dynamic-security plugin). A row is written in the same
-- transaction as the unpairing (or the owner's erasure) that makes the device's broker login
-- wrong, and deleted once the broker confirmed the client is gone, so a broker that was unreachable
-- at that moment still refuses the device in the end. Holds no owner id (erasure has nothing to do).
create table broker_outbox (
    device_id       uuid        primary key,
    enqueued_at     timestamptz not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    last_error      text
);
create index broker_outbox_due on broker_outbox (next_attempt_at);
