/**
 * Local development points at the test project only. This renders `.env.local` from a stack's plain config
 * and refuses anything but a test tier, so a developer machine never holds a prod value.
 */
export function renderEnvLocal(stack: string, config: Record<string, unknown>): string {
  const get = (key: string) => {
    const value = config[`deploy-guardrails:${key}`];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const tier = get("tier");
  if (stack === "prod" || tier !== "test") {
    throw new Error(`Refusing to write .env.local from stack "${stack}" (tier ${tier ?? "unset"}): local development uses the test stack only. Run \`npm run env:local\` without --stack, or with --stack test.`);
  }
  const ref = get("supabaseProjectRef");
  const prodRef = get("prodProjectRef");
  if (!ref || ref === prodRef) throw new Error("deploy-guardrails:supabaseProjectRef of the test stack is missing or names the prod project.");
  const url = get("supabaseUrl") ?? `https://${ref}.supabase.co`;
  const anonKey = get("supabaseAnonKey");
  if (!anonKey) throw new Error("deploy-guardrails:supabaseAnonKey is not set on the test stack: `pulumi config set --stack test deploy-guardrails:supabaseAnonKey <anon or publishable key>`.");
  return [
    "# Written by `npm run env:local` from the test stack. Points at the TEST Supabase project only. Not committed.",
    `NEXT_PUBLIC_SUPABASE_URL=${url}`,
    `NEXT_PUBLIC_SUPABASE_ANON_KEY=${anonKey}`,
    "",
  ].join("\n");
}
