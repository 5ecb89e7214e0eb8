#!/usr/bin/env bash
# Checks an owner's audit entries offline against the vault's public key (issue 17):
#   curl -s localhost:8080/audit/key > audit-key.json                    # once, from a vault you trust
#   curl -s -H "Authorization: Bearer $TOKEN" "localhost:8080/owners/$OWNER/audit?limit=1000&since=$(sed -n 2p held.checkpoint)" > audit.json
#   deploy/verify-audit.sh --key audit-key.json --audit audit.json --held held.checkpoint --save-held --owner "$OWNER"
# Pass --owner: without it the first entry decides whose chain this is, so another owner's complete,
# valid chain would verify as yours (a later check with the held .entry file catches it).
# Checks the checkpoint's signature, that the log still extends the checkpoint held from before
# (no rewind, no fork, a valid consistency proof), and per entry: salt+entry give the commitment, the
# owner's chain (seq, prev) is unbroken, and the leaf is in the signed tree. Prints one line per
# entry (VERIFIED / PENDING / FAILED) and a RESULT line. --save-held replaces the held checkpoint
# with the new one only when everything verified (a missing --held file means: first check).
# Next to it, <held>.entry keeps the last entry verified (seq and commitment), as the app does:
# a later check refuses another entry under that seq, or a chain that now ends before it.
# Exit 0 verified (pending allowed), 1 something failed, 2 usage or input error. Builds the
# researcher CLI on first use (JDK 17 and Maven are all it needs).
set -euo pipefail
exec "$(dirname "$0")/researcher.sh" verify-audit "$@"
