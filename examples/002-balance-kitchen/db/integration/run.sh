#!/bin/sh
# Integration tests against the Neon dev branch, after the migrations were applied there (the test stack only).
# The release step sets DATABASE_URL (no password), PGPASSWORD and RELEASE_ID.
set -eu
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
begin;
do $$ begin
  if (select env from public.bk_env_marker where id = 1) <> 'dev' then
    raise exception 'integration tests run on the dev branch only';
  end if;
end $$;
insert into public.clients (id, email, display_name) values ('00000000-0000-0000-0000-0000000000b1', 'it@example.com', 'IT');
insert into public.meal_orders (client_id, delivery_date, total_cents, stripe_payment_intent)
  values ('00000000-0000-0000-0000-0000000000b1', current_date + 1, 2450, 'pi_integration_1');
do $$ begin
  if (select status from public.meal_orders where stripe_payment_intent = 'pi_integration_1') <> 'pending' then
    raise exception 'a new order must be pending';
  end if;
  begin
    insert into public.meal_orders (client_id, delivery_date, total_cents, stripe_payment_intent)
      values ('00000000-0000-0000-0000-0000000000b1', current_date + 1, 100, 'pi_integration_1');
    raise exception 'a payment intent must be recorded once';
  exception when unique_violation then null;
  end;
end $$;
rollback;
SQL
echo "integration tests passed for $RELEASE_ID"
