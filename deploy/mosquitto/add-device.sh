#!/usr/bin/env bash
# Adds (or replaces) a device's credential in the Mosquitto password file, as printed at pairing:
#   deploy/mosquitto/add-device.sh /etc/mosquitto/vitalvault/passwords <deviceId> <credential>
# then reload Mosquitto (kill -HUP). The ACL needs no change: its patterns use the user name.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 PASSWORD_FILE DEVICE_ID CREDENTIAL" >&2; exit 2; }
file=$1; device=$2; credential=$3
[[ $device =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] \
  || { echo "device id must be a lower-case UUID" >&2; exit 2; }
[ -f "$file" ] || { touch "$file"; chmod 600 "$file"; }
mosquitto_passwd -b "$file" "$device" "$credential"
