-- Compacted storage: one row per owner, metric and hour, written by the vault's compaction from
-- the gateway's reading_batch rows (which it then deletes). 'points' is the hour's readings,
-- deduplicated and compressed (SegmentCodec), then sealed; 'rollup' is the hour's count, sum, sum
-- of squares, min, max and histogram (HourRollup), sealed separately so that hourly and daily
-- series and aggregates never open the points. Both are sealed under a seal_epoch the vault
-- created for the owner, with SegmentAad binding owner, metric, hour, epoch and part.
create table reading_segment (
    owner_id      uuid        not null,
    metric        text        not null,
    bucket        timestamptz not null,
    epoch_id      uuid        not null,
    reading_count int         not null,
    rollup        bytea       not null,
    points        bytea       not null,
    compacted_at  timestamptz not null,
    primary key (owner_id, metric, bucket)
);
-- Sealed bytes do not compress: store them out of line without trying.
alter table reading_segment alter column points set storage external;

-- When the vault last compacted a reading of the device (received time): the owner's device list.
alter table device add column last_seen_at timestamptz;
