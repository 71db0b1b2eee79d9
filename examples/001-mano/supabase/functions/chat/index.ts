// POST /functions/v1/chat {"personId": "...", "message": "..."}: JWT verified (verifyJwt: true).
// ANTHROPIC_API_KEY is a function secret, set per project by the release (functionSecrets), never committed.
import { createClient } from "npm:@supabase/supabase-js@2";

Deno.serve(async (req) => {
  const auth = req.headers.get("Authorization");
  if (!auth) return new Response("unauthorized", { status: 401 });
  const { personId, message } = await req.json();
  if (!personId || !message) return Response.json({ error: "personId and message are required" }, { status: 400 });

  // The caller's own token: row level security decides which people and chats it may touch.
  const db = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, { global: { headers: { Authorization: auth } } });
  const { error: insertError } = await db.from("chat_messages").insert({ person_id: personId, role: "user", content: message });
  if (insertError) return Response.json({ error: insertError.message }, { status: 403 });

  const reply = await fetch("https://api.anthropic.com/v1/messages", {
    method: "POST",
    headers: { "x-api-key": Deno.env.get("ANTHROPIC_API_KEY")!, "anthropic-version": "2023-06-01", "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 512, messages: [{ role: "user", content: message }] }),
  });
  if (!reply.ok) return Response.json({ error: "assistant unavailable" }, { status: 502 });
  const text = (await reply.json()).content?.[0]?.text ?? "";
  await db.from("chat_messages").insert({ person_id: personId, role: "assistant", content: text });
  return Response.json({ reply: text });
});
