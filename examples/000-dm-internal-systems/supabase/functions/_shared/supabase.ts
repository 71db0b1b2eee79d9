// Server-side client for edge functions. SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are provided by the Supabase
// runtime of the project the function is deployed to, so the same code runs on test and on prod.
import { createClient } from "npm:@supabase/supabase-js@2";

export function serviceClient() {
  return createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!, {
    auth: { persistSession: false },
  });
}
