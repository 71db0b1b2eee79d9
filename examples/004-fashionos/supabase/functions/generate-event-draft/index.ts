// POST {"brief": "..."}: drafts an event with Gemini. GEMINI_API_KEY and GOOGLE_MAPS_API_KEY are function
// secrets of this project (functionSecrets), different in staging and production.
import { requireUser } from "../_shared/auth.ts";

Deno.serve(async (req) => {
  const user = await requireUser(req);
  if (user instanceof Response) return user;
  const { brief } = await req.json();
  if (typeof brief !== "string" || brief.length === 0) return Response.json({ error: "brief is required" }, { status: 400 });
  const res = await fetch("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": Deno.env.get("GEMINI_API_KEY")! },
    body: JSON.stringify({ contents: [{ parts: [{ text: `Draft a fashion event as JSON (title, city, capacity) for: ${brief}` }] }] }),
  });
  if (!res.ok) return Response.json({ error: "generation failed" }, { status: 502 });
  const draft = (await res.json()).candidates?.[0]?.content?.parts?.[0]?.text ?? "";
  return Response.json({ draft });
});
