#!/bin/sh
# Integration tests against Project A (staging) after its migrations, functions and function secrets were
# released. The release step sets DATABASE_URL (no password), PGPASSWORD, SUPABASE_URL and RELEASE_ID.
set -eu

# The functions run with --no-verify-jwt: prove that each one still refuses an anonymous caller by itself.
for fn in generate-event-draft sponsor-ai; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -X POST -H 'content-type: application/json' -d '{}' "$SUPABASE_URL/functions/v1/$fn")
  if [ "$code" != "401" ]; then
    echo "$fn answered $code to an anonymous request; expected 401" >&2
    exit 1
  fi
done

psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
begin;
insert into public.profiles (id, role, display_name) values ('00000000-0000-0000-0000-0000000000e1', 'designer', 'it');
insert into public.events (owner_id, title) values ('00000000-0000-0000-0000-0000000000e1', 'Integration Show');
do $$ begin
  if (select status from public.events where title = 'Integration Show') <> 'draft' then
    raise exception 'a new event must start as a draft';
  end if;
  begin
    insert into public.profiles (id, role, display_name) values (gen_random_uuid(), 'superuser', 'x');
    raise exception 'an unknown app_role must be refused';
  exception when invalid_text_representation then null;
  end;
end $$;
rollback;
SQL
echo "integration tests passed for $RELEASE_ID"
