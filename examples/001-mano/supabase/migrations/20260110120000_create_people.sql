-- People a user keeps track of ("create person" in the staging validation checklist).
create table if not exists public.people (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid(),
  display_name text not null check (length(trim(display_name)) > 0),
  notes text,
  created_at timestamptz not null default now()
);

alter table public.people enable row level security;

drop policy if exists "owners manage their people" on public.people;
create policy "owners manage their people" on public.people
  for all using (owner_id = auth.uid()) with check (owner_id = auth.uid());
