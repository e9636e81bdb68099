#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server on a free port and prints its URL on the last line.
# Usage: eval "$(bash .ci/start-postgres.sh)"   → exports TEST_DATABASE_URL and PG_TMP_DIR
set -euo pipefail
bindir=/usr/lib/postgresql/15/bin
if [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL 15 absent : installation par apt" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql-15 >&2 || true
fi
if [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL 15 introuvable après installation (paquet postgresql-15 absent de ce Debian) : les tests PostgreSQL ne peuvent pas tourner." >&2
  exit 1
fi
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
dir=$(mktemp -d /tmp/pilotis-pg.XXXXXX)
chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run "$bindir/initdb -D $dir/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
run "$bindir/pg_ctl -D $dir/data -l $dir/log -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' -w start" >&2
echo "export PG_TMP_DIR=$dir"
echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
