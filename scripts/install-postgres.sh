#!/usr/bin/env bash
# Makes sure a real PostgreSQL server (postgres + initdb + pg_ctl) is installed, installing Debian's `postgresql`
# package if it is not, and prints the directory that holds the server binaries.
#
#   bash scripts/install-postgres.sh        # last line: POSTGRES_BIN=/usr/lib/postgresql/<major>/bin
#
# Idempotent: when a server is there it only looks (well under a second). It runs `apt-get update` once, only when
# it has to install. The Debian package normally creates and starts a "main" cluster on port 5432; we tell it not
# to (create_main_cluster = false): tests start their own throwaway clusters with scripts/start-postgres.sh.
#
# Binaries on PATH (e.g. /usr/local/bin/postgres) are not trusted blindly: they count only if they are real
# PostgreSQL server executables (`postgres --version` says "postgres (PostgreSQL) N"). /usr/lib/postgresql/*/bin is
# preferred, newest major first.
set -euo pipefail

log() { printf 'install-postgres: %s\n' "$*" >&2; }

# A bin dir is good when postgres, initdb and pg_ctl are there and postgres reports itself as PostgreSQL.
good_bin_dir() {
  local d=$1
  [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] || return 1
  "$d/postgres" --version 2>/dev/null | grep -Eq '^postgres \(PostgreSQL\) [0-9]+' || return 1
  "$d/initdb" --version 2>/dev/null | grep -Eq '^initdb \(PostgreSQL\) [0-9]+' || return 1
}

find_bin_dir() {
  local d
  # Debian layout, newest major first.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -rn); do
    if good_bin_dir "$d"; then echo "$d"; return 0; fi
  done
  # Anything on PATH, resolved through symlinks (stand-ins in /usr/local/bin may point anywhere, or be fakes).
  local p
  p=$(command -v postgres 2>/dev/null || true)
  if [ -n "$p" ]; then
    d=$(dirname "$(readlink -f "$p")")
    if good_bin_dir "$d"; then echo "$d"; return 0; fi
  fi
  return 1
}

if dir=$(find_bin_dir); then
  log "PostgreSQL server found: $("$dir/postgres" --version)"
  echo "POSTGRES_BIN=$dir"
  exit 0
fi

log "no real PostgreSQL server found; installing Debian's postgresql package"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    log "not root and no sudo: install the 'postgresql' package as root"; exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "apt-get not found: this script installs PostgreSQL on Debian/Ubuntu only"; exit 1
fi

# No "main" cluster on port 5432, please.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  $SUDO mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
$SUDO apt-get install -y -q -o Dpkg::Options::=--force-confold postgresql >&2

if dir=$(find_bin_dir); then
  log "installed: $("$dir/postgres" --version)"
  echo "POSTGRES_BIN=$dir"
  exit 0
fi
log "installed the postgresql package, but still found no server binaries under /usr/lib/postgresql/*/bin"
exit 1
