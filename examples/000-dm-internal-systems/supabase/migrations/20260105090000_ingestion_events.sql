-- Ingestion is idempotent: a source may deliver the same event twice, and it must be stored once.
create table if not exists public.ingestion_events (
  id bigint generated always as identity primary key,
  source text not null,
  idempotency_key text not null,
  payload jsonb not null,
  status text not null default 'received' check (status in ('received', 'processed', 'failed')),
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  unique (source, idempotency_key)
);

alter table public.ingestion_events enable row level security;
