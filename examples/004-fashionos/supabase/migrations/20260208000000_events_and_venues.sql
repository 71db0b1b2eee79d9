create table if not exists public.venues (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  city text not null,
  capacity int check (capacity > 0),
  place_id text
);

create table if not exists public.events (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references public.profiles (id),
  venue_id uuid references public.venues (id),
  title text not null,
  status text not null default 'draft' check (status in ('draft', 'published', 'cancelled')),
  ai_draft jsonb,
  starts_at timestamptz,
  created_at timestamptz not null default now()
);

alter table public.venues enable row level security;
alter table public.events enable row level security;
