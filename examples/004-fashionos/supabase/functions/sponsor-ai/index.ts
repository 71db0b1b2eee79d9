// POST {"eventId": "..."}: suggests sponsors for an event. Same caller check as every --no-verify-jwt function.
import { requireUser } from "../_shared/auth.ts";

Deno.serve(async (req) => {
  const user = await requireUser(req);
  if (user instanceof Response) return user;
  const { eventId } = await req.json();
  if (!eventId) return Response.json({ error: "eventId is required" }, { status: 400 });
  const res = await fetch("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": Deno.env.get("GEMINI_API_KEY")! },
    body: JSON.stringify({ contents: [{ parts: [{ text: `List five sponsor categories for fashion event ${eventId}.` }] }] }),
  });
  if (!res.ok) return Response.json({ error: "generation failed" }, { status: 502 });
  return Response.json({ suggestions: (await res.json()).candidates?.[0]?.content?.parts?.[0]?.text ?? "" });
});
