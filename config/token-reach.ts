import { z } from "zod";
import { namespace } from "./errors";
import { RawConfig, flag } from "./raw";

/**
 * Can a non-prod stack's token reach prod? Supabase personal access tokens act for the whole account, and Vercel
 * tokens have no per-project or per-environment scope, so the test stack's token may well be able to deploy to prod,
 * and everyone who can decrypt the test stack (in CI, every job with its passphrase) then holds a prod credential.
 * Only the APIs can say: `GET /v1/projects` lists the Supabase projects a token sees; `GET /v9/projects/<id>` answers
 * 200 when a Vercel token can read that project. These are the pure decisions; config/token-reach-http.ts asks.
 *
 * An error unless acknowledged: a reaching token breaks "nothing else may ever hold a prod credential", and the fix
 * (another account, another scope) is the team's to make. A team that accepts a known case lists it in
 * acknowledgedTokenReach with its reason, and every preview then prints it as a warning. A check that cannot run
 * (offline, an API error) is a warning: it proves nothing either way.
 */
export const tokenReachKeys = ["checkTokenReach", "acknowledgedTokenReach"] as const;
export const tokenKeys = ["supabaseAccessToken", "vercelApiToken"] as const;
export type TokenKey = (typeof tokenKeys)[number];

export interface TokenReachSettings {
  check: boolean;
  acknowledged: { key: TokenKey; reason: string }[];
}

const acknowledgement = z
  .object({ key: z.enum(tokenKeys), reason: z.string().trim().min(20, "must say why the team accepts it, in a sentence (at least 20 characters)") })
  .strict();

export function parseTokenReach(raw: RawConfig): TokenReachSettings {
  const check = flag(raw, "checkTokenReach", true) ?? true;
  const acknowledged =
    raw.read(
      "acknowledgedTokenReach",
      z.array(acknowledgement).default([]),
      '[{"key":"vercelApiToken","reason":"one Vercel project for all tiers: the token that writes Preview variables can write Production ones"}]',
      true,
    ) ?? [];
  return { check, acknowledged };
}

/** What an API said about one token, as plain data. `what` names the prod resource, never a secret. */
export type Reach = { kind: "reaches"; what: string; evidence: string } | { kind: "does-not-reach" } | { kind: "unknown"; why: string };

export interface TokenProbe {
  key: TokenKey;
  reach: Reach;
}

/** The answer of `GET /v1/projects` for a token: does the list hold the prod ref (`ref`, or the deprecated `id`)? */
export function supabaseReach(answer: { status?: number; body?: unknown; error?: string }, prodRef: string): Reach {
  if (answer.error !== undefined) return { kind: "unknown", why: answer.error };
  if (answer.status !== 200) return { kind: "unknown", why: `the Management API answered ${answer.status ?? "nothing"}` };
  if (!Array.isArray(answer.body)) return { kind: "unknown", why: "the Management API answered something that is not a list of projects" };
  const refs = answer.body
    .flatMap((p) => (p && typeof p === "object" ? [(p as { ref?: unknown }).ref, (p as { id?: unknown }).id] : []))
    .filter((r): r is string => typeof r === "string");
  return refs.includes(prodRef)
    ? { kind: "reaches", what: "the prod Supabase project (prodProjectRef)", evidence: "GET /v1/projects lists it" }
    : { kind: "does-not-reach" };
}

/** The answers of `GET /v9/projects/<id>` for the prod stack's Vercel projects: a 200 on any of them reaches prod. */
export function vercelReach(answers: { project: string; status?: number; error?: string }[]): Reach {
  const reached = answers.find((a) => a.status === 200);
  if (reached)
    return {
      kind: "reaches",
      what: `the Vercel project ${reached.project}, whose Production variables and deployments the prod stack owns`,
      evidence: `GET /v9/projects/<its id> answered 200`,
    };
  const failed = answers.find((a) => a.error !== undefined || (a.status !== 403 && a.status !== 404));
  if (failed) return { kind: "unknown", why: failed.error ?? `the Vercel API answered ${failed.status ?? "nothing"} for ${failed.project}` };
  return { kind: "does-not-reach" };
}

const fixes: Record<TokenKey, string> = {
  supabaseAccessToken:
    "A Supabase personal access token acts for every project its account can see: create this stack's token from an account " +
    "that is a member of the test project's organization only",
  vercelApiToken:
    "Vercel tokens have no per-project or per-environment scope, so a token that writes this project's Preview variables " +
    "can also change its Production variables. That is structural when every tier shares one Vercel project; keep this " +
    "stack's passphrase out of jobs that run pull-request code, and acknowledge it",
};

function acknowledgeHint(stack: string, key: TokenKey): string {
  return (
    `pulumi config set --stack ${stack} --path '${namespace}:acknowledgedTokenReach[0].key' ${key} && ` +
    `pulumi config set --stack ${stack} --path '${namespace}:acknowledgedTokenReach[0].reason' '<why the team accepts it>'`
  );
}

export interface TokenReachVerdict {
  errors: string[];
  warnings: string[];
}

/** What to tell the user about each probe of a non-prod stack's tokens. Names keys, never values. */
export function decideTokenReach(probes: readonly TokenProbe[], settings: TokenReachSettings, stack: string): TokenReachVerdict {
  const verdict: TokenReachVerdict = { errors: [], warnings: [] };
  for (const { key, reach } of probes) {
    const name = `${namespace}:${key}`;
    if (reach.kind === "does-not-reach") continue;
    if (reach.kind === "unknown") {
      verdict.warnings.push(
        `Could not check whether ${name} of stack ${stack} can reach prod (${reach.why}). Until it is checked, assume it can. (Set ${namespace}:checkTokenReach false to skip the check.)`,
      );
      continue;
    }
    const said = `${name} of stack ${stack} can reach ${reach.what}: ${reach.evidence}.`;
    const accepted = settings.acknowledged.find((a) => a.key === key);
    if (accepted) verdict.warnings.push(`${said} Acknowledged in ${namespace}:acknowledgedTokenReach: "${accepted.reason}".`);
    else verdict.errors.push(`${said} ${fixes[key]}. If the team accepts this case, say why: ${acknowledgeHint(stack, key)}`);
  }
  return verdict;
}
