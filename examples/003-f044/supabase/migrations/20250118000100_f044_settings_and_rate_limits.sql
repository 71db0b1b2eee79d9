-- F044: per-workspace settings (bring-your-own API keys live in Vault; this table keeps only the Vault secret id)
-- and the Apollo.io rate-limit window.
create table if not exists public.workspace_settings (
  workspace_id uuid primary key references public.workspaces (id) on delete cascade,
  apollo_key_secret_id uuid,
  jobs_per_minute int not null default 1000 check (jobs_per_minute between 1 and 10000),
  updated_at timestamptz not null default now()
);

create table if not exists public.rate_limits (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  provider text not null,
  window_start timestamptz not null,
  calls int not null default 0,
  primary key (workspace_id, provider, window_start)
);

alter table public.workspace_settings enable row level security;
alter table public.rate_limits enable row level security;
