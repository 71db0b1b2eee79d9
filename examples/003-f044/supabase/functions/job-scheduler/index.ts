// Called every minute by pg_cron with the service-role key (JWT verified): enqueues the due recurring jobs.
import { createClient } from "npm:@supabase/supabase-js@2";

Deno.serve(async () => {
  const db = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!, { auth: { persistSession: false } });
  const { data: workspaces, error } = await db.from("workspace_settings").select("workspace_id");
  if (error) return Response.json({ error: error.message }, { status: 500 });
  const jobs = (workspaces ?? []).map((w) => ({ workspace_id: w.workspace_id, kind: "sync-contacts" }));
  if (jobs.length > 0) {
    const { error: insertError } = await db.from("jobs").insert(jobs);
    if (insertError) return Response.json({ error: insertError.message }, { status: 500 });
  }
  return Response.json({ enqueued: jobs.length });
});
