-- Allowed state transitions: received -> processed | failed, failed -> received (retry). Nothing leaves processed.
create or replace function public.ingestion_events_check_transition() returns trigger
language plpgsql as $$
begin
  if old.status = new.status then
    return new;
  end if;
  if (old.status, new.status) in (('received', 'processed'), ('received', 'failed'), ('failed', 'received')) then
    if new.status = 'processed' then
      new.processed_at := now();
    end if;
    return new;
  end if;
  raise exception 'ingestion_events %: transition % -> % is not allowed', old.id, old.status, new.status;
end $$;

drop trigger if exists ingestion_events_transition on public.ingestion_events;
create trigger ingestion_events_transition before update of status on public.ingestion_events
  for each row execute function public.ingestion_events_check_transition();
