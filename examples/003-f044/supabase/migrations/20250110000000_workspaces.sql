-- Core table that F044 builds on (already present before the feature).
create table if not exists public.workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now()
);
alter table public.workspaces enable row level security;
