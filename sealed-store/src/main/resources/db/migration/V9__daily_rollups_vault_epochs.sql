-- Daily rollups: one row per owner, metric and UTC day, the merge of that day's compacted hours'
-- rollups (count, sum, sum of squares, min, max, histogram), sealed under the owner's vault epoch
-- with SegmentAad part 'day'. Compaction rewrites a day in the same transaction as any of its
-- hours, under an advisory lock per day, so the row always equals the merge of the day's
-- reading_segment rollups. A cohort query over 30 days then opens 30 rows per owner, not 720
-- (docs/decisions/016). Plaintext only for indexing: owner, metric, day, count.
create table reading_day (
    owner_id      uuid        not null,
    metric        text        not null,
    day           timestamptz not null,
    epoch_id      uuid        not null,
    hours         int         not null,
    reading_count int         not null,
    rollup        bytea       not null,
    primary key (owner_id, metric, day)
);

-- Days compacted before this migration have no row yet; compaction fills them in (oldest first)
-- and records here when none is missing. Until then queries read hourly rollups.
create table rollup_backfill (
    name     text    primary key,
    complete boolean not null
);
insert into rollup_backfill (name, complete)
select 'reading_day', not exists (select 1 from reading_segment);

-- The one epoch the vault seals an owner's compacted data under, per key version. Reusing it
-- means a read derives one data key per owner instead of one per compaction pass (an X25519 each).
-- The vault holds the owner's private key whenever it uses this epoch, so rotating it more often
-- would protect nothing; owner-key rotation retires it. Its data key is also kept wrapped by the
-- KEK, exactly like the owner's private key it is derived with (so no weaker), which spares a read
-- the X25519 altogether; null when not wrapped by the current KEK (after a KEK rotation), and then
-- re-derived through HPKE and wrapped again by compaction.
create table vault_epoch (
    owner_id         uuid not null,
    key_version      int  not null,
    epoch_id         uuid not null,
    wrapped_data_key bytea,
    kek_id           text,
    primary key (owner_id, key_version),
    foreign key (owner_id, epoch_id) references seal_epoch on delete cascade
);
