import { SupabaseValue } from "./schema";

/** The value-source fields shared by Vercel variables, function secrets and GitHub environment secrets. */
export interface SourceFields {
  value?: string;
  secret?: string;
  generated?: string;
  supabase?: SupabaseValue;
}

export function sourceOf(s: SourceFields): SourceFields {
  return { value: s.value, secret: s.secret, generated: s.generated, supabase: s.supabase };
}

/** Public values may be stored and shown in plain text; everything else is sensitive. */
export function isSensitive(s: SourceFields): boolean {
  if (s.value !== undefined) return false;
  if (s.supabase === "url" || s.supabase === "anonKey" || s.supabase === "projectRef") return false;
  return true;
}

/** Config keys that must be read with requireSecret because some source refers to them. */
export function secretReferences(sources: SourceFields[]): string[] {
  const keys = new Set<string>();
  for (const s of sources) {
    if (s.secret) keys.add(s.secret);
    if (s.supabase === "serviceRoleKey") keys.add("supabaseServiceRoleKey");
  }
  return [...keys].sort();
}
