create table if not exists public.clients (
  id uuid primary key default gen_random_uuid(),
  email text not null unique check (position('@' in email) > 1),
  display_name text not null,
  created_at timestamptz not null default now()
);
