#!/usr/bin/env bash
# Initialises (if needed) and starts a throwaway PostgreSQL cluster for tests.
#
#   PGPASSWORD_INIT=secret bash scripts/start-postgres.sh <datadir> <port>
#
# - superuser `postgres` with the password from PGPASSWORD_INIT (scram-sha-256 for every connection, TCP and
#   socket); the password never appears in arguments or output;
# - listens on 127.0.0.1:<port> only; its Unix socket lives in <datadir> (nothing in /var/run/postgresql);
# - log in <datadir>/server.log;
# - stdout gets exactly one line, the connection URL without the password:
#     postgresql://postgres@127.0.0.1:<port>/postgres
#   (progress goes to stderr). Use it with PGPASSWORD=<the password>.
#
# PostgreSQL refuses to run as root. When run as root, the cluster is owned and run by the system user `postgres`
# (created by Debian's package; created here if missing), through runuser; <datadir> must then be somewhere that
# user can reach (e.g. under /tmp or a `mktemp -d`, not under /root). As any other user it runs as that user.
# Idempotent: an initialised <datadir> is reused (PGPASSWORD_INIT is then not needed), a running server is left
# running. Stop it with scripts/stop-postgres.sh <datadir>.
set -euo pipefail

log() { printf 'start-postgres: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ $# -eq 2 ] || die "usage: PGPASSWORD_INIT=... $0 <datadir> <port>"
DATADIR=$1
PORT=$2
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || die "bad port: $PORT"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(bash "$SCRIPT_DIR/install-postgres.sh" | sed -n 's/^POSTGRES_BIN=//p' | tail -1)
[ -n "$BIN" ] || die "no PostgreSQL server binaries (scripts/install-postgres.sh failed)"

mkdir -p "$DATADIR"
DATADIR=$(cd "$DATADIR" && pwd -P)

# Who runs the server.
if [ "$(id -u)" -eq 0 ]; then
  RUN_AS=postgres
  if ! id -u "$RUN_AS" >/dev/null 2>&1; then
    log "creating system user $RUN_AS"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash "$RUN_AS"
  fi
  as_user() { runuser -u "$RUN_AS" -- "$@"; }
  if [ -z "$(ls -A "$DATADIR")" ]; then
    chown "$RUN_AS:" "$DATADIR"
  fi
  chmod 700 "$DATADIR"
  # A `mktemp -d` parent is mode 700 root: let $RUN_AS traverse (not list) the parents we own under the temp dir.
  TMP_ROOT=$(cd "${TMPDIR:-/tmp}" && pwd -P)
  d=$(dirname "$DATADIR")
  while [ "$d" != "/" ] && [ "${d#"$TMP_ROOT"/}" != "$d" ]; do
    if ! as_user test -x "$d" && [ "$(stat -c %u "$d")" = 0 ]; then
      chmod o+x "$d"
    fi
    d=$(dirname "$d")
  done
  as_user test -w "$DATADIR" ||
    die "user $RUN_AS cannot write $DATADIR (a parent directory is not accessible to it?): use a directory under /tmp"
else
  as_user() { "$@"; }
fi

URL="postgresql://postgres@127.0.0.1:$PORT/postgres"

if [ ! -f "$DATADIR/PG_VERSION" ]; then
  [ -n "${PGPASSWORD_INIT:-}" ] || die "PGPASSWORD_INIT must hold the password for user postgres"
  PWFILE=$(mktemp)
  trap 'rm -f "$PWFILE"' EXIT
  printf '%s\n' "$PGPASSWORD_INIT" >"$PWFILE"
  if [ "$(id -u)" -eq 0 ]; then chown "$RUN_AS:" "$PWFILE"; fi
  chmod 600 "$PWFILE"
  log "initdb $DATADIR"
  as_user "$BIN/initdb" -D "$DATADIR" -U postgres --pwfile="$PWFILE" --auth=scram-sha-256 \
    -E UTF8 --no-locale --no-instructions >"$DATADIR.initdb.log" 2>&1 ||
    { cat "$DATADIR.initdb.log" >&2; die "initdb failed"; }
  rm -f "$PWFILE" "$DATADIR.initdb.log"
  {
    echo "# written by scripts/start-postgres.sh"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$DATADIR'"
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
  } | as_user tee -a "$DATADIR/postgresql.conf" >/dev/null
fi

if as_user "$BIN/pg_ctl" -D "$DATADIR" status >/dev/null 2>&1; then
  log "already running ($DATADIR)"
  echo "$URL"
  exit 0
fi

log "starting on 127.0.0.1:$PORT (log: $DATADIR/server.log)"
if ! as_user "$BIN/pg_ctl" -D "$DATADIR" -l "$DATADIR/server.log" -w -t 60 \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$DATADIR'" start >&2; then
  tail -n 20 "$DATADIR/server.log" >&2 || true
  die "the server did not start"
fi
echo "$URL"
