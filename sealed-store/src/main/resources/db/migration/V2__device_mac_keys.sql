-- COSE_Mac0 (RFC 9052, HMAC 256/256) keys of devices. The gateway must read them to verify MACs,
-- so they are stored as they are (see docs/decisions/006-device-mac-keys.md): a dump of this column
-- lets an attacker forge readings for a device, never read any. Devices paired before this
-- migration have none and cannot MAC until re-paired.
alter table device add column mac_key bytea;
-- When true, the gateway rejects every message of the device that is not a valid COSE_Mac0.
alter table device add column mac_required boolean not null default false;
