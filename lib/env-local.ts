import { Settings } from "../config/parse";

/**
 * Local development points at the test project only. This renders `.env.local` from a stack's parsed settings
 * and refuses anything but a test tier, so a developer machine never holds a prod value.
 */
export function renderEnvLocal(settings: Pick<Settings, "stack" | "tier" | "projectRef" | "identity" | "supabaseProject">): string {
  if (settings.stack === "prod" || settings.tier !== "test") {
    throw new Error(
      `Refusing to write .env.local from stack "${settings.stack}" (tier ${settings.tier}): local development uses the test stack only. Run \`npm run env:local\` without --stack, or with --stack test.`,
    );
  }
  if (!settings.projectRef || settings.projectRef === settings.identity.prodProjectRef)
    throw new Error("deploy-guardrails:supabaseProjectRef of the test stack is missing or names the prod project.");
  const { url, anonKey } = settings.supabaseProject;
  if (!anonKey)
    throw new Error(
      "deploy-guardrails:supabaseAnonKey is not set on the test stack: `pulumi config set --stack test deploy-guardrails:supabaseAnonKey <anon or publishable key>`.",
    );
  return [
    "# Written by `npm run env:local` from the test stack. Points at the TEST Supabase project only. Not committed.",
    `NEXT_PUBLIC_SUPABASE_URL=${url}`,
    `NEXT_PUBLIC_SUPABASE_ANON_KEY=${anonKey}`,
    "",
  ].join("\n");
}
