do $$ begin
  create type public.app_role as enum ('admin', 'designer', 'sponsor', 'guest');
exception when duplicate_object then null;
end $$;

create table if not exists public.profiles (
  id uuid primary key,
  role public.app_role not null default 'guest',
  display_name text not null,
  created_at timestamptz not null default now()
);
alter table public.profiles enable row level security;
