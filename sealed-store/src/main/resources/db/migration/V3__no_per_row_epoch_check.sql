-- The foreign key reading_batch(owner_id, epoch_id) -> seal_epoch ran a referential-integrity
-- lookup for every inserted row: with one reading per message nearly every row is its own sealed
-- batch, and the check was a large share of PostgreSQL's insert cost. The gateway writes an epoch
-- in the same transaction as the first batch sealed under it, and a batch whose epoch is missing
-- cannot be opened anyway (its data key is derived from the epoch's 'enc'), so the check protected
-- nothing the seal does not. Erasure deletes both tables explicitly (docs/decisions/008).
alter table reading_batch drop constraint reading_batch_owner_id_epoch_id_fkey;
