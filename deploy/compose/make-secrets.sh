#!/usr/bin/env bash
# Writes ./secrets/ for compose.yaml (mode 0700/0600), once: random passwords, a master key (KEK) and
# an Ed25519 signing key, and the services' secret properties files. Re-running keeps what exists
# (a new KEK would make every owner's data unreadable). Needs openssl. Back up ./secrets with the
# database (deploy/backup.sh, docs/decisions/040).
set -euo pipefail
cd "$(dirname "$0")"
umask 077
mkdir -p secrets
cd secrets
rand() { openssl rand -base64 24 | tr -d '/+=\n'; }
keep() { [ -s "$1" ] || "${@:2}" > "$1"; }
for f in postgres_password migrator_db_password vault_db_password gateway_db_password dynsec_admin_password \
         gateway_mqtt_password vault_provisioner_password grafana_admin_password; do
  keep "$f" rand
done
keep master.key sh -c 'openssl rand -base64 32'
keep signing.key sh -c 'openssl genpkey -algorithm ed25519 -outform DER | openssl base64 -A'
keep vault.properties sh -c 'cat <<P
quarkus.datasource.password=$(cat vault_db_password)
quarkus.flyway.password=$(cat migrator_db_password)
vitalvault.kek.base64=$(cat master.key)
vitalvault.signing-key.base64=$(cat signing.key)
vitalvault.broker.admin-password=$(cat vault_provisioner_password)
P'
keep gateway.properties sh -c 'cat <<P
quarkus.datasource.password=$(cat gateway_db_password)
vitalvault.gateway.mqtt.password=$(cat gateway_mqtt_password)
P'
keep keycloak.env sh -c 'printf "KC_BOOTSTRAP_ADMIN_USERNAME=admin\nKC_BOOTSTRAP_ADMIN_PASSWORD=%s\n" "$(rand)"'
echo "secrets in $(pwd)"
