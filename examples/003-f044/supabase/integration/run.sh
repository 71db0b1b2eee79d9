#!/bin/sh
# Integration tests against the development (test) project, after migrations and functions were released there.
# The release step sets DATABASE_URL (no password), PGPASSWORD, SUPABASE_URL and RELEASE_ID.
set -eu
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
begin;
insert into public.workspaces (id, name) values ('00000000-0000-0000-0000-00000000f044', 'integration');
insert into public.jobs (workspace_id, kind) values ('00000000-0000-0000-0000-00000000f044', 'a'), ('00000000-0000-0000-0000-00000000f044', 'b');
do $$
declare first public.jobs; second public.jobs; third public.jobs;
begin
  first := public.claim_next_job();
  second := public.claim_next_job();
  third := public.claim_next_job();
  if first.id is null or second.id is null or first.id = second.id then
    raise exception 'two ready jobs must be claimed once each';
  end if;
  if third.id is not null then
    raise exception 'no job may be claimed twice';
  end if;
  if (select count(*) from public.jobs where workspace_id = '00000000-0000-0000-0000-00000000f044' and status = 'running' and attempts = 1) <> 2 then
    raise exception 'claimed jobs must be running with one attempt';
  end if;
end $$;
rollback;
SQL
echo "integration tests passed for $RELEASE_ID"
