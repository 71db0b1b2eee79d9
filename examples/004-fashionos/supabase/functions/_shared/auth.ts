// Deployed with --no-verify-jwt, so the gateway lets every request through: each function checks the caller
// itself, with the project's own auth, and answers 401 to anyone without a valid session.
import { createClient, type User } from "npm:@supabase/supabase-js@2";

export async function requireUser(req: Request): Promise<User | Response> {
  const token = req.headers.get("Authorization")?.replace(/^Bearer /, "");
  if (!token) return new Response("unauthorized", { status: 401 });
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
  const { data, error } = await supabase.auth.getUser(token);
  if (error || !data.user) return new Response("unauthorized", { status: 401 });
  return data.user;
}
