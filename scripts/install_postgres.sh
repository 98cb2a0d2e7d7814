#!/usr/bin/env bash
# Install PostgreSQL and PostGIS from Debian's packages when either is missing
# (`make postgres`; `make test` and `make serve-db` call it).
set -euo pipefail
have_server() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
have_postgis() { compgen -G "/usr/share/postgresql/*/extension/postgis.control" >/dev/null; }
if have_server && have_postgis; then exit 0; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
major=$(basename "$(dirname "$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")")
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${major}-postgis-3"
