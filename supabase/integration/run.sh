#!/bin/sh
# Integration tests of the release against the TEST database: known inputs, exact outcomes.
# The release step runs this with DATABASE_URL (no password), PGPASSWORD, SUPABASE_URL and RELEASE_ID set.
set -eu
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
begin;
insert into public.notes (body) values ('integration-test');
do $$ begin
  if (select count(*) from public.notes where body = 'integration-test') <> 1 then
    raise exception 'expected exactly one integration-test note';
  end if;
end $$;
rollback;
SQL
echo "integration tests passed for $RELEASE_ID"
