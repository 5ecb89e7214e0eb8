#!/bin/bash
# First start of the database only (docker-entrypoint-initdb.d, after 10-roles.sql): the login users
# of DESIGN-15 — migrator, vault, gateway — as members of the group roles deploy/db/roles.sql made,
# with the passwords compose gives as secret files. Passwords go to psql on stdin, not as arguments.
set -euo pipefail
login() {   # login USER GROUP SECRETFILE
  local pw; pw=$(cat "$3")
  psql -v ON_ERROR_STOP=1 -U postgres -d "$POSTGRES_DB" -v user="$1" -v grp="$2" -v pw="$pw" <<'SQL'
select format('create role %I login', :'user') where not exists (select 1 from pg_roles where rolname = :'user') \gexec
alter role :"user" with login password :'pw';
grant :"grp" to :"user";
SQL
}
login migrator vitalvault_migrator /run/secrets/migrator_db_password
login vault    vitalvault_vault    /run/secrets/vault_db_password
login gateway  vitalvault_gateway  /run/secrets/gateway_db_password
# The migration role creates the schema's objects in this database.
psql -v ON_ERROR_STOP=1 -U postgres -d "$POSTGRES_DB" -c "grant create on schema public to vitalvault_migrator"
