import { TokenProbe, supabaseReach, vercelReach } from "./token-reach";

/**
 * The API calls behind config/token-reach.ts. The base URLs can be pointed at a loopback server for tests with
 * DEPLOY_GUARDRAILS_SUPABASE_API_URL and DEPLOY_GUARDRAILS_VERCEL_API_URL; anything else is refused, because the
 * token is sent there. Tokens go in the Authorization header only, and no answer body is ever printed.
 */
export const apiBases = {
  supabase: { env: "DEPLOY_GUARDRAILS_SUPABASE_API_URL", official: "https://api.supabase.com" },
  vercel: { env: "DEPLOY_GUARDRAILS_VERCEL_API_URL", official: "https://api.vercel.com" },
} as const;

const loopback = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/;

/** The base URL to call, or why the override is refused. */
export function apiBase(service: keyof typeof apiBases, env: NodeJS.ProcessEnv): { url: string } | { refused: string } {
  const { env: name, official } = apiBases[service];
  const given = env[name]?.replace(/\/+$/, "");
  if (given === undefined || given === "" || given === official) return { url: official };
  if (loopback.test(given)) return { url: given };
  return { refused: `${name} must be ${official} or a loopback URL such as http://127.0.0.1:8080 (for tests): the token is sent there` };
}

const timeoutMs = 10_000;

async function get(url: string, token: string): Promise<{ status?: number; body?: unknown; error?: string }> {
  try {
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return { error: (e as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : `the request failed${cause ? ` (${cause})` : ""}` };
  }
}

export interface ProbeInput {
  supabase?: { token: string; prodRef: string };
  vercel?: { token: string; teamId?: string; projects: { name: string; id: string }[] };
}

/** Asks each API about each token given. */
export async function probeTokens(input: ProbeInput, env: NodeJS.ProcessEnv = process.env): Promise<TokenProbe[]> {
  const probes: TokenProbe[] = [];
  if (input.supabase) {
    const base = apiBase("supabase", env);
    if ("refused" in base) throw new Error(base.refused);
    probes.push({ key: "supabaseAccessToken", reach: supabaseReach(await get(`${base.url}/v1/projects`, input.supabase.token), input.supabase.prodRef) });
  }
  if (input.vercel && input.vercel.projects.length > 0) {
    const base = apiBase("vercel", env);
    if ("refused" in base) throw new Error(base.refused);
    const team = input.vercel.teamId ? `?teamId=${encodeURIComponent(input.vercel.teamId)}` : "";
    const answers = [];
    for (const project of input.vercel.projects) {
      answers.push({ project: project.name, ...(await get(`${base.url}/v9/projects/${encodeURIComponent(project.id)}${team}`, input.vercel.token)) });
    }
    probes.push({ key: "vercelApiToken", reach: vercelReach(answers) });
  }
  return probes;
}
