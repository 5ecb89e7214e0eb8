-- audit_owner_entry had two unique indexes led by owner_id: the primary key (owner_id, entry_id)
-- and unique (owner_id, seq). Every appended entry inserted into both at a random place (owner ids
-- are random), and nothing looks an owner entry up by (owner_id, entry_id): owner pages read by
-- (owner_id, seq) and join audit_leaf on entry_id, whose own primary key is there. An entry id is
-- unique without this index: the same transaction queues it in audit_pending, whose primary key
-- refuses a second one, and the sequencer moves it to audit_leaf, whose primary key it is. So
-- (owner_id, seq) becomes the primary key and the other index goes: one random-place index insert
-- per entry fewer, about 50 bytes per entry less (deploy/bench/audit.sh, issue 17;
-- docs/decisions/050).
alter table audit_owner_entry drop constraint audit_owner_entry_pkey;
alter table audit_owner_entry drop constraint audit_owner_entry_owner_id_seq_key;
alter table audit_owner_entry add constraint audit_owner_entry_pkey primary key (owner_id, seq);

-- No foreign key from an entry to its owner: the check ran once per entry (a lookup and a KEY SHARE
-- lock on the owner row, about 10 µs each, a tenth of an append), and it guarded nothing the append
-- does not already guarantee: an entry is written only after its owner's chain head was locked in
-- the same transaction, and that head references the owner. Entries leave with the owner through
-- the erasure (AuditOwnerEraser, before the owner row; ErasureCoverage holds every owner_id table
-- to an eraser).
alter table audit_owner_entry drop constraint audit_owner_entry_owner_id_fkey;
