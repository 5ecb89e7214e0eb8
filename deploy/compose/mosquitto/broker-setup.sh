#!/bin/bash
# broker-setup (compose, once per start, idempotent): deny by default, the users of two gateways
# (vault-gateway-N and -receipts) and two vault provisioners, through deploy/mosquitto/dynsec-setup.sh.
set -euo pipefail
apt-get update -qq && apt-get install -y -qq mosquitto-clients >/dev/null
DYNSEC_ADMIN_PASSWORD=$(cat /run/secrets/dynsec_admin_password)
GATEWAY_PASSWORD=$(cat /run/secrets/gateway_mqtt_password)
VAULT_PROVISIONER_PASSWORD=$(cat /run/secrets/vault_provisioner_password)
export DYNSEC_ADMIN_PASSWORD GATEWAY_PASSWORD VAULT_PROVISIONER_PASSWORD
for i in $(seq 1 30); do
  mosquitto_rr -h "$MOSQ_HOST" -u admin -P "$DYNSEC_ADMIN_PASSWORD" -t '$CONTROL/dynamic-security/v1' \
    -e '$CONTROL/dynamic-security/v1/response' -W 2 -m '{"commands":[{"command":"listClients"}]}' >/dev/null 2>&1 && break
  sleep 1
done
for n in 1 2; do
  /setup/dynsec-setup.sh gateway "vault-gateway-$n"
  /setup/dynsec-setup.sh vault "vault-provisioner-$n"
done
