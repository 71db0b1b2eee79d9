// POST /functions/v1/ingest  {"source": "...", "idempotencyKey": "...", "payload": {...}}
// Deployed with JWT verification on (verifyJwt: true): only signed-in callers reach it.
// A repeated delivery returns 200 with duplicate: true and stores nothing new.
import { serviceClient } from "../_shared/supabase.ts";

Deno.serve(async (req) => {
  if (req.method !== "POST") return new Response("method not allowed", { status: 405 });
  const body = await req.json().catch(() => null);
  if (!body?.source || !body?.idempotencyKey || typeof body.payload !== "object") {
    return Response.json({ error: "source, idempotencyKey and payload are required" }, { status: 400 });
  }
  const { data, error } = await serviceClient()
    .from("ingestion_events")
    .upsert({ source: body.source, idempotency_key: body.idempotencyKey, payload: body.payload }, { onConflict: "source,idempotency_key", ignoreDuplicates: true })
    .select("id");
  if (error) return Response.json({ error: error.message }, { status: 500 });
  return Response.json({ duplicate: (data ?? []).length === 0 });
});
