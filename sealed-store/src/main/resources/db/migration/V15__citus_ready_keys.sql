-- Keys Citus accepts when the owner tables are distributed by owner_id (docs/decisions/041): a
-- distributed table's primary key and unique constraints must include owner_id, because each shard
-- enforces them on its own rows only. Two keys did not; what they guaranteed still holds.

-- A grant was unique vault-wide by its id alone. Every read names the owner too (the owner's grant
-- endpoints, the lease decision's population read), the primary key (owner_id, grant_id) already
-- makes a grant unique per owner, and grant ids are random UUIDs the vault makes.
drop index consent_grant_by_id;

-- A receipt id was unique vault-wide. The consent trail is read per owner; a receipt is unique per
-- owner now. The vault still identifies a row by its receipt id alone (its entity's id), which is a
-- random UUID it makes for every change: nothing in the database needs the wider constraint for that.
alter table consent_event drop constraint consent_event_receipt_id_key;
alter table consent_event add constraint consent_event_owner_receipt_key unique (owner_id, receipt_id);

-- Not changed here, on purpose: device_by_id (device_id) stays unique vault-wide on a single
-- PostgreSQL; on Citus it becomes the reference table device_route (decision 041, step 1).
