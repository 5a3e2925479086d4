#!/bin/sh
# Entrypoint of the LOCAL STAND-IN for postgres:16.8 (deploy/compose/standins/postgres.Dockerfile): the part of the
# official docker-entrypoint.sh that docker-compose.yml relies on, nothing more.
set -eu

: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"

# Not a postgres command (e.g. `docker run … sh`): run it as it is.
if [ "${1:-postgres}" != postgres ]; then exec "$@"; fi

# As root: own the data directory and the socket directory, then start again as the postgres user.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "stand-in postgres: POSTGRES_PASSWORD is not set (the official image refuses to initialise without it too)" >&2
    exit 1
  fi
  echo "stand-in postgres: initialising $PGDATA for superuser $POSTGRES_USER (PostgreSQL $(postgres --version | awk '{print $3}'))"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  # TCP from anywhere with a password, as the official image's pg_hba.conf.
  echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"

  # A temporary server on the socket only, for POSTGRES_DB and the init scripts.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" -w start >/dev/null
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname=postgres -q -c "CREATE DATABASE \"$POSTGRES_DB\""
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sql) echo "stand-in postgres: running $f"; psql -v ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" -q -f "$f" ;;
      *.sh) echo "stand-in postgres: running $f"; . "$f" ;;
      *) echo "stand-in postgres: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "stand-in postgres: init process complete"
fi

if [ $# -gt 0 ]; then shift; fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql "$@"
