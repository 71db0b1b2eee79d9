#!/usr/bin/env bash
# Stops a cluster started by scripts/start-postgres.sh. Idempotent: a cluster that is not running (or a datadir
# that does not exist) is fine. The datadir itself is left in place; delete it yourself if it was throwaway.
#
#   bash scripts/stop-postgres.sh <datadir>
set -euo pipefail

log() { printf 'stop-postgres: %s\n' "$*" >&2; }

[ $# -eq 1 ] || { log "usage: $0 <datadir>"; exit 1; }
DATADIR=$1
if [ ! -f "$DATADIR/PG_VERSION" ]; then
  log "no cluster in $DATADIR: nothing to stop"
  exit 0
fi

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(bash "$SCRIPT_DIR/install-postgres.sh" 2>/dev/null | sed -n 's/^POSTGRES_BIN=//p' | tail -1)
[ -n "$BIN" ] || { log "no PostgreSQL server binaries found"; exit 1; }

OWNER=$(stat -c %U "$DATADIR")
if [ "$(id -u)" -eq 0 ] && [ "$OWNER" != root ]; then
  as_owner() { runuser -u "$OWNER" -- "$@"; }
else
  as_owner() { "$@"; }
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATADIR" status >/dev/null 2>&1; then
  log "not running ($DATADIR)"
  exit 0
fi
as_owner "$BIN/pg_ctl" -D "$DATADIR" -m fast -w -t 60 stop >&2
log "stopped ($DATADIR)"
