#!/bin/bash
# Entrypoint of the slipway-test/postgres:15 stand-in. Behaves like the official postgres
# image's entrypoint for the parts tests use:
#   POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER
#   (default postgres), POSTGRES_DB (default = user), /docker-entrypoint-initdb.d/*.sql|*.sh.
# On first start (empty $PGDATA): initdb with scram-sha-256 for host connections and trust
# for the local socket, listen on all addresses; then postgres runs in the foreground.
# Unlike the official image, the first start does not wait for the disk: initdb --no-sync and a
# temporary server with fsync off (a test database is thrown away; this saves ~3 s per new stack).
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# `docker run IMAGE -c foo=bar` means `postgres -c foo=bar`.
if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
fi

if [ "$1" != 'postgres' ]; then
    exec "$@"
fi

# As root: fix ownership of the data and socket directories, then re-run as postgres.
if [ "$(id -u)" = '0' ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 0700 "$PGDATA"
    chmod 3777 /var/run/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
POSTGRES_HOST_AUTH_METHOD="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
        cat >&2 <<'MSG'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
MSG
        exit 1
    fi

    echo "slipway-test postgres: initialising $PGDATA (user=$POSTGRES_USER db=$POSTGRES_DB)"
    pwfile="$(mktemp)"
    printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" \
        --auth-host=scram-sha-256 --auth-local=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
        -D "$PGDATA"
    rm -f "$pwfile"

    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    echo "host all all all $POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"

    # Temporary server for creating the database and running init scripts: no TCP, and its
    # socket in a private directory, so a `pg_isready` healthcheck (default socket) cannot
    # report "healthy" before the real server has started.
    init_sock="$(mktemp -d)"
    pg_ctl -D "$PGDATA" -o "-c fsync=off -c listen_addresses='' -c unix_socket_directories=$init_sock" -w start
    export PGHOST="$init_sock"   # for psql here and in /docker-entrypoint-initdb.d/*.sh

    psql_cmd=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres)
    if [ "$POSTGRES_DB" != 'postgres' ]; then
        exists="$("${psql_cmd[@]}" -tA -v db="$POSTGRES_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")"
        if [ "$exists" != '1' ]; then
            "${psql_cmd[@]}" -v db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
        fi
    fi

    shopt -s nullglob
    for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
            *.sh)  echo "running $f"; . "$f" ;;
            *.sql) echo "running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
            *)     echo "ignoring $f" ;;
        esac
    done
    shopt -u nullglob

    pg_ctl -D "$PGDATA" -m fast -w stop
    unset PGHOST
    rmdir "$init_sock" 2>/dev/null || true
    echo 'slipway-test postgres: init process complete; ready for start up.'
fi

exec "$@"
