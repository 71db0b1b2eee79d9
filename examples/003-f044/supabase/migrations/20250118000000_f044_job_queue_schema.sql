-- F044: job queue and its audit trail.
create table if not exists public.jobs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  kind text not null,
  payload jsonb not null default '{}',
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  attempts int not null default 0,
  run_after timestamptz not null default now(),
  locked_at timestamptz,
  created_at timestamptz not null default now()
);
create index if not exists jobs_ready on public.jobs (run_after) where status = 'queued';

create table if not exists public.job_logs (
  id bigint generated always as identity primary key,
  job_id uuid not null references public.jobs (id) on delete cascade,
  level text not null check (level in ('info', 'warn', 'error')),
  message text not null,
  created_at timestamptz not null default now()
);

alter table public.jobs enable row level security;
alter table public.job_logs enable row level security;

-- Claims the next ready job exactly once, even with many workers polling at the same time.
create or replace function public.claim_next_job() returns public.jobs
language sql as $$
  update public.jobs set status = 'running', attempts = attempts + 1, locked_at = now()
  where id = (
    select id from public.jobs where status = 'queued' and run_after <= now()
    order by run_after for update skip locked limit 1
  )
  returning *;
$$;
