-- Local development only: `supabase db reset` loads it. The release never seeds a hosted project (the migration
-- command runs `supabase db push` without --include-seed), so these rows never reach staging or production.
insert into public.profiles (id, role, display_name) values
  ('00000000-0000-0000-0000-00000000ad01', 'admin', 'Local Admin'),
  ('00000000-0000-0000-0000-00000000de01', 'designer', 'Local Designer')
on conflict (id) do nothing;

insert into public.venues (name, city, capacity) values
  ('Dummy Warehouse', 'Berlin', 400),
  ('Dummy Gallery', 'Milan', 120);
