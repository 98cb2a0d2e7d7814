#!/usr/bin/env bash
# A PostgreSQL server with PostGIS for development (`make serve-db`): its files in
# data/postgres (git-ignored), listening on 127.0.0.1:${PGPORT:-5433}, a database
# `svd` with PostGIS, and local connections trusted. Stop it with `make stop-db`.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PGPORT:-5433}
folder=$(pwd)/data/postgres
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
as_postgres=()
if [ "$(id -u)" = 0 ]; then as_postgres=(runuser -u postgres --); fi
mkdir -p "$folder"
if [ "$(id -u)" = 0 ]; then chown postgres "$folder"; fi
if [ ! -f "$folder/data/PG_VERSION" ]; then
    "${as_postgres[@]}" "$bin/initdb" -D "$folder/data" -U postgres --auth=trust -E UTF8 >/dev/null
fi
if ! "${as_postgres[@]}" "$bin/pg_ctl" -D "$folder/data" status >/dev/null 2>&1; then
    "${as_postgres[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/log" -w \
        -o "-p $port -k $folder -c listen_addresses=127.0.0.1" start
fi
url="postgresql://postgres@127.0.0.1:$port/svd"
"$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'svd'" \
    | grep -q 1 || "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE svd"
"$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d svd -c "CREATE EXTENSION IF NOT EXISTS postgis"
echo "PostGIS is running: SVD_GEO_STORE=$url"
