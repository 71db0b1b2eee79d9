-- Additive only (6.2): the API version that is live keeps working while this is applied.
create table if not exists public.meal_orders (
  id uuid primary key default gen_random_uuid(),
  client_id uuid not null references public.clients (id),
  delivery_date date not null,
  status text not null default 'pending' check (status in ('pending', 'confirmed', 'delivered', 'cancelled')),
  total_cents int not null check (total_cents >= 0),
  stripe_payment_intent text unique,
  created_at timestamptz not null default now()
);
create index if not exists meal_orders_client_date on public.meal_orders (client_id, delivery_date);
