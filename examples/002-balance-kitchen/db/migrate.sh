#!/bin/sh
# Balance Kitchen's migration runner: applies db/migrations/*.sql in file-name (timestamp) order, each once and in
# its own transaction, and records it in public.schema_migrations (version, name), which deploy-guardrails compares
# with the files before and after every release (migrationHistoryTable). The release step runs it from the project
# root with DATABASE_URL (no password), PGPASSWORD and DEPLOY_TIER set.
#
# Production hard lock (devops_setup.md 6.4.2): with NODE_ENV=production it refuses unless CONFIRM_PROD_MIGRATE=YES,
# VERCEL_ENV (if present) is production, and bk_env_marker says 'prod'. Without it, the marker must say 'dev'.
# Both stacks run this same command (what runs on prod must be what passed on test); in the prod stack's release
# step (DEPLOY_TIER=prod, after the release gate and the release authority's approval) that is the confirmation.
set -eu
: "${DATABASE_URL:?DATABASE_URL is not set}"
q() { psql "$DATABASE_URL" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

if [ "${DEPLOY_TIER:-}" = prod ]; then
  NODE_ENV=production
  CONFIRM_PROD_MIGRATE=YES
fi

expected=dev
if [ "${NODE_ENV:-}" = production ]; then
  [ "${CONFIRM_PROD_MIGRATE:-}" = YES ] || { echo "refusing: production migrations need CONFIRM_PROD_MIGRATE=YES" >&2; exit 1; }
  if [ -n "${VERCEL_ENV:-}" ] && [ "$VERCEL_ENV" != production ]; then echo "refusing: VERCEL_ENV is $VERCEL_ENV, not production" >&2; exit 1; fi
  expected=prod
elif [ "${CONFIRM_PROD_MIGRATE:-}" = YES ]; then
  echo "refusing: CONFIRM_PROD_MIGRATE=YES without NODE_ENV=production" >&2; exit 1
fi

actual=$(q -c "select env from public.bk_env_marker where id = 1")
if [ "$actual" != "$expected" ]; then
  echo "refusing: bk_env_marker says '$actual', but this run expects '$expected'" >&2
  exit 1
fi

q -c "create table if not exists public.schema_migrations (version text primary key, name text not null, applied_at timestamptz not null default now())"
for file in db/migrations/*.sql; do
  base=$(basename "$file" .sql)
  version=${base%%_*}
  name=${base#*_}
  case "$base" in *[!A-Za-z0-9_.-]* | [!0-9]*) echo "refusing: migration name $base" >&2; exit 1 ;; esac
  [ -z "$(q -c "select 1 from public.schema_migrations where version = '$version'")" ] || continue
  { echo "begin;"; cat "$file"; echo ";insert into public.schema_migrations (version, name) values ('$version', '$name');"; echo "commit;"; } | q
  echo "applied $base"
done
