#!/bin/sh
# The dynamic-security file with its admin client on the first start, then Mosquitto. The admin
# password comes from the compose secret (mosquitto_ctrl takes it as an argument: this runs once,
# before any client can connect).
set -eu
f=/var/lib/mosquitto/dynamic-security.json
if [ ! -f "$f" ]; then
  mosquitto_ctrl dynsec init "$f" admin "$(cat /run/secrets/dynsec_admin_password)"
  chown mosquitto:mosquitto "$f"
fi
chown -R mosquitto:mosquitto /var/lib/mosquitto
exec /usr/sbin/mosquitto -c /mosquitto/config/mosquitto.conf
