#!/usr/bin/env bash
# Sets up Mosquitto 2's dynamic-security plugin for Vital Vault (docs/decisions/029). Re-runnable:
# what exists already is kept (a user's password is set again).
#
#   dynsec-setup.sh init FILE          before the first start: FILE (dynamic-security.json) with the
#                                      admin client $DYNSEC_ADMIN / $DYNSEC_ADMIN_PASSWORD
#   dynsec-setup.sh gateway NAME       on the running broker: default ACL access deny, the gateway
#                                      roles, users NAME (ingest, $GATEWAY_PASSWORD) and NAME-receipts
#                                      (receipts, $GATEWAY_RECEIPTS_PASSWORD, default $GATEWAY_PASSWORD)
#   dynsec-setup.sh vault NAME         the vault's provisioning client NAME ($VAULT_PROVISIONER_PASSWORD),
#                                      which may only use $CONTROL/dynamic-security
#   dynsec-setup.sh audit NAME         the vault's audit checkpoint publisher NAME ($AUDIT_PASSWORD): publishes
#                                      (retained) to vitalvault/audit/checkpoint only; one per vault replica
#   dynsec-setup.sh witness NAME       a read-only witness NAME ($WITNESS_PASSWORD): reads the checkpoints only
#   dynsec-setup.sh device ID CREDENTIAL
#                                      by hand what pairing does (the vault does it itself when
#                                      vitalvault.broker.provisioning=mosquitto-dynsec)
#
# Connection: MOSQ_HOST (localhost), MOSQ_PORT (1883), as $DYNSEC_ADMIN (admin) / $DYNSEC_ADMIN_PASSWORD;
# extra mosquitto_ctrl options (TLS: --cafile …) in MOSQ_CTRL_OPTS. Share group: SHARE_GROUP (vault-gw).
# Passwords come from the environment, so they are not in shell history; mosquitto_ctrl still gets
# them as arguments (visible in ps while it runs): run this where no one else is logged in.
set -euo pipefail

admin=${DYNSEC_ADMIN:-admin}
share=${SHARE_GROUP:-vault-gw}
# The audit log's checkpoints (issue 17): every role may read them, only vitalvault-audit-publisher publishes.
checkpoint=vitalvault/audit/checkpoint

usage() { sed -n '2,22p' "$0" >&2; exit 2; }

need() { [ -n "${!1:-}" ] || { echo "$1 must be set" >&2; exit 2; }; }

# One mosquitto_ctrl dynsec command. It exits 0 even when the plugin refused, so read what it says;
# "already exists" is fine (re-runs), anything else stops the script.
ctrl() {
  local out
  # shellcheck disable=SC2086
  out=$(mosquitto_ctrl -h "${MOSQ_HOST:-localhost}" -p "${MOSQ_PORT:-1883}" -u "$admin" -P "$DYNSEC_ADMIN_PASSWORD" \
        ${MOSQ_CTRL_OPTS:-} dynsec "$@" 2>&1 | grep -v -e 'without encryption' -e 'visible on the network' -e '^$' || true)
  if grep -q 'Error' <<<"$out"; then
    if grep -q 'already exists' <<<"$out"; then
      return 1
    fi
    echo "mosquitto_ctrl dynsec $1 $2: $out" >&2
    exit 1
  fi
}

role() {   # role NAME ACLTYPE TOPIC [ACLTYPE TOPIC]...
  local name=$1; shift
  ctrl createRole "$name" || true
  while [ $# -gt 0 ]; do
    ctrl addRoleACL "$name" "$1" "$2" allow || true
    shift 2
  done
}

client() {   # client NAME PASSWORD ROLE
  if ctrl createClient "$1" -p "$2"; then
    ctrl addClientRole "$1" "$3"
  else
    # Exists from an earlier run (with its role: 2.0.11 answers adding it again with "Internal error").
    ctrl setClientPassword "$1" "$2"
  fi
}

defaults() {
  # Nothing a role does not grant: no publishing, subscribing or receiving by default. Sent as the
  # plugin's JSON: mosquitto_ctrl 2.0.11's setDefaultACLAccess leaves the access unchanged.
  local out
  # shellcheck disable=SC2086
  out=$(mosquitto_rr -h "${MOSQ_HOST:-localhost}" -p "${MOSQ_PORT:-1883}" -u "$admin" -P "$DYNSEC_ADMIN_PASSWORD" \
        ${MOSQ_CTRL_OPTS:-} -t '$CONTROL/dynamic-security/v1' -e '$CONTROL/dynamic-security/v1/response' -W 10 \
        -m '{"commands":[{"command":"setDefaultACLAccess","acls":[
              {"acltype":"publishClientSend","allow":false},{"acltype":"publishClientReceive","allow":false},
              {"acltype":"subscribe","allow":false},{"acltype":"unsubscribe","allow":true}]}]}')
  if [ "$out" != '{"responses":[{"command":"setDefaultACLAccess"}]}' ]; then
    echo "setDefaultACLAccess: ${out:-no response}" >&2
    exit 1
  fi
}

[ $# -ge 1 ] || usage
case $1 in
  init)
    [ $# -eq 2 ] || usage
    need DYNSEC_ADMIN_PASSWORD
    [ ! -e "$2" ] || { echo "$2 exists already; init only creates a new one" >&2; exit 1; }
    mosquitto_ctrl dynsec init "$2" "$admin" "$DYNSEC_ADMIN_PASSWORD" >/dev/null
    # Mosquitto (dropping root to user mosquitto) must write it: every change is saved there.
    chmod 600 "$2"
    echo "created $2 with admin client $admin"
    ;;
  gateway)
    [ $# -eq 2 ] || usage
    need DYNSEC_ADMIN_PASSWORD; need GATEWAY_PASSWORD
    defaults
    # Ingest: the shared subscription $share/<group>/readings/+ (and /+/+) and what it delivers.
    role vitalvault-gateway-ingest subscribePattern "\$share/$share/readings/#" subscribePattern 'readings/#' \
         publishClientReceive 'readings/#' subscribeLiteral "$checkpoint" publishClientReceive "$checkpoint"
    # Receipts: publish every device's receipts, nothing else (but read the checkpoints, as everyone may).
    role vitalvault-gateway-receipts publishClientSend 'receipts/#' \
         subscribeLiteral "$checkpoint" publishClientReceive "$checkpoint"
    client "$2" "$GATEWAY_PASSWORD" vitalvault-gateway-ingest
    client "$2-receipts" "${GATEWAY_RECEIPTS_PASSWORD:-$GATEWAY_PASSWORD}" vitalvault-gateway-receipts
    echo "gateway users $2 and $2-receipts ready"
    ;;
  vault)
    [ $# -eq 2 ] || usage
    need DYNSEC_ADMIN_PASSWORD; need VAULT_PROVISIONER_PASSWORD
    defaults
    role vitalvault-provisioner publishClientSend '$CONTROL/dynamic-security/#' \
         publishClientReceive '$CONTROL/dynamic-security/#' subscribePattern '$CONTROL/dynamic-security/#' \
         subscribeLiteral "$checkpoint" publishClientReceive "$checkpoint"
    client "$2" "$VAULT_PROVISIONER_PASSWORD" vitalvault-provisioner
    echo "vault provisioning client $2 ready"
    ;;
  audit)
    [ $# -eq 2 ] || usage
    need DYNSEC_ADMIN_PASSWORD; need AUDIT_PASSWORD
    defaults
    # Publishes the checkpoints (retained) and reads them (to see other replicas'); nothing else.
    role vitalvault-audit-publisher publishClientSend "$checkpoint" subscribeLiteral "$checkpoint" \
         publishClientReceive "$checkpoint"
    client "$2" "$AUDIT_PASSWORD" vitalvault-audit-publisher
    echo "audit checkpoint publisher $2 ready"
    ;;
  witness)
    [ $# -eq 2 ] || usage
    need DYNSEC_ADMIN_PASSWORD; need WITNESS_PASSWORD
    defaults
    role vitalvault-audit-reader subscribeLiteral "$checkpoint" publishClientReceive "$checkpoint"
    client "$2" "$WITNESS_PASSWORD" vitalvault-audit-reader
    echo "witness $2 ready"
    ;;
  device)
    [ $# -eq 3 ] || usage
    need DYNSEC_ADMIN_PASSWORD
    [[ $2 =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] \
      || { echo "device id must be a lower-case UUID" >&2; exit 2; }
    # The same role as the vault's pairing creates (vault-service DynsecCommands).
    role "vitalvault-device-$2" publishClientSend "readings/$2" publishClientSend "readings/$2/json" \
         publishClientSend "readings/$2/cbor" subscribeLiteral "receipts/$2" publishClientReceive "receipts/$2" \
         subscribeLiteral "$checkpoint" publishClientReceive "$checkpoint"
    client "$2" "$3" "vitalvault-device-$2"
    ctrl setClientId "$2" "$2"
    echo "device $2 ready"
    ;;
  *) usage ;;
esac
