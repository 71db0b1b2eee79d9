#!/bin/sh
# Integration tests against dm_brain_test only (the test stack runs them; prod never does).
# Known inputs, exact database outcomes: idempotent ingestion and the allowed state transitions.
# The release step sets DATABASE_URL (no password), PGPASSWORD, SUPABASE_URL and RELEASE_ID.
set -eu
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
begin;
insert into public.ingestion_events (source, idempotency_key, payload) values ('it', 'k-1', '{"n": 1}')
  on conflict (source, idempotency_key) do nothing;
insert into public.ingestion_events (source, idempotency_key, payload) values ('it', 'k-1', '{"n": 2}')
  on conflict (source, idempotency_key) do nothing;
do $$ begin
  if (select count(*) from public.ingestion_events where source = 'it') <> 1 then
    raise exception 'a repeated delivery must be stored exactly once';
  end if;
  if (select payload->>'n' from public.ingestion_events where source = 'it') <> '1' then
    raise exception 'the first delivery must win';
  end if;
end $$;
update public.ingestion_events set status = 'processed' where source = 'it';
do $$ begin
  if (select processed_at is null from public.ingestion_events where source = 'it') then
    raise exception 'processing must stamp processed_at';
  end if;
  begin
    update public.ingestion_events set status = 'received' where source = 'it';
    raise exception 'processed -> received must be refused';
  exception when raise_exception then
    if sqlerrm like '%must be refused%' then raise; end if;
  end;
end $$;
rollback;
SQL
echo "integration tests passed for $RELEASE_ID"
