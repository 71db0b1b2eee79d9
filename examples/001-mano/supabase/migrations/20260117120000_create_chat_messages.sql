-- Chat history per person. Additive only: the app version that is live keeps working while this is applied.
create table if not exists public.chat_messages (
  id bigint generated always as identity primary key,
  person_id uuid not null references public.people (id) on delete cascade,
  role text not null check (role in ('user', 'assistant')),
  content text not null,
  created_at timestamptz not null default now()
);

create index if not exists chat_messages_person_created on public.chat_messages (person_id, created_at);

alter table public.chat_messages enable row level security;

drop policy if exists "owners read and write their chats" on public.chat_messages;
create policy "owners read and write their chats" on public.chat_messages
  for all using (exists (select 1 from public.people p where p.id = person_id and p.owner_id = auth.uid()))
  with check (exists (select 1 from public.people p where p.id = person_id and p.owner_id = auth.uid()));
