#!/bin/sh
# Integration and smoke tests, run by the test and the staging stack against their own project after the
# migrations and functions were released there; never by prod. Prod releases only what passed on staging.
# The release step sets DATABASE_URL (no password), PGPASSWORD, SUPABASE_URL, SUPABASE_ANON_KEY and RELEASE_ID.
set -eu

# Smoke test: the freshly deployed health function answers.
curl -fsS --max-time 20 "$SUPABASE_URL/functions/v1/health" | grep -q '"ok":true'

# Database: a person and its chat, exact outcomes, rolled back.
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
begin;
insert into public.people (id, owner_id, display_name) values ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000f1', 'Integration Person');
insert into public.chat_messages (person_id, role, content) values ('00000000-0000-0000-0000-0000000000a1', 'user', 'hello');
do $$ begin
  if (select count(*) from public.chat_messages where person_id = '00000000-0000-0000-0000-0000000000a1') <> 1 then
    raise exception 'expected exactly one chat message';
  end if;
  begin
    insert into public.chat_messages (person_id, role, content) values ('00000000-0000-0000-0000-0000000000a1', 'system', 'x');
    raise exception 'a role outside user/assistant must be refused';
  exception when check_violation then null;
  end;
end $$;
delete from public.people where id = '00000000-0000-0000-0000-0000000000a1';
do $$ begin
  if exists (select 1 from public.chat_messages where person_id = '00000000-0000-0000-0000-0000000000a1') then
    raise exception 'deleting a person must delete its chat';
  end if;
end $$;
rollback;
SQL
echo "integration tests passed for $RELEASE_ID"
