import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineEvent, PolicyEvent, Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace, dummySecrets, engineWorkspace, policyConfig, policyPack, repoRoot, toolchainBin } from "../../scripts/engine/workspace";
import { Postgres, startPostgres } from "./postgres";
import { FingerprintSet, fingerprintValues } from "../../contracts/fingerprint";

/** The engine tests need the real CLI and plugins; say how to get them instead of skipping. */
export function requireToolchain(): void {
  const onPath = (process.env.PATH ?? "").split(":").some((dir) => fs.existsSync(path.join(dir, "pulumi")));
  if (!fs.existsSync(path.join(toolchainBin(), "pulumi")) && !onPath) {
    assert.fail(`The Pulumi engine is not built: run \`npm run toolchain\` (expected ${toolchainBin()}/pulumi).`);
  }
  if (!fs.existsSync(path.join(repoRoot, "policy", "node_modules"))) assert.fail("The policy pack's dependencies are missing: run `npm ci --prefix policy`.");
}

/**
 * The committed policy config, with the prod fingerprints replaced by those of the dummy prod secrets these
 * tests use (and prod's placeholder publishable key, a prod credential but no server secret), and any extra
 * per-policy settings: written to a temp file for `--policy-pack-config`.
 */
export function testPolicyConfig(extra: Record<string, Record<string, unknown>> = {}): string {
  const config = JSON.parse(fs.readFileSync(policyConfig, "utf8")) as Record<string, Record<string, unknown>>;
  const prodStackFile = fs.readFileSync(path.join(repoRoot, "Pulumi.prod.yaml"), "utf8");
  const publishable = /deploy-guardrails:supabaseAnonKey:\s*(\S+)/.exec(prodStackFile)?.[1];
  const secrets = Object.values(dummySecrets.prod);
  for (const entry of Object.values(config)) {
    for (const [key, values] of [
      ["prodFingerprints", [...secrets, ...(publishable ? [publishable] : [])]],
      ["prodSecretFingerprints", secrets],
    ] as const) {
      const prints = entry[key] as FingerprintSet | undefined;
      if (prints) entry[key] = fingerprintValues(values, prints.kdf);
    }
  }
  for (const [policy, settings] of Object.entries(extra)) config[policy] = { ...(config[policy] ?? {}), ...settings };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "deploy-guardrails-policy-")), "policy.config.json");
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Collects everything the engine prints, so tests can look for policy names and for leaked secrets. */
export class Transcript {
  readonly lines: string[] = [];
  readonly onOutput = (s: string) => this.lines.push(s);
  get text(): string {
    return this.lines.join("");
  }
}

export async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail("expected the engine to refuse");
}

/**
 * What a failed command step told the user, without the script itself: the command provider's error repeats the
 * whole command (`running "<script>":`), which holds every message the script could print, so a test that a message
 * is absent must look past it.
 */
export function withoutEchoedScripts(message: string): string {
  return message.replace(/running "(?:[^"\\]|\\.)*"/g, 'running "<script>"');
}

/** A legacy Supabase JWT (HS256 shape; the signature is irrelevant to the policy) naming a project. */
export function legacyJwt(ref: string, role: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: "supabase", ref, role, iat: 1700000000, exp: 2000000000 })}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

/** What one preview showed: the printed transcript, the engine's events, and the resources' planned inputs. */
export interface Observed {
  text: string;
  creates: number;
  /** Planned inputs of every resource, as JSON (secrets masked by the engine). */
  inputs: string;
  diagnostics: string;
  policy: PolicyEvent[];
}

export async function observePreview(stack: Stack, configFile: string): Promise<Observed> {
  const transcript = new Transcript();
  const events: EngineEvent[] = [];
  const result = await stack.preview({
    policyPacks: [policyPack],
    policyPackConfigs: [configFile],
    onOutput: transcript.onOutput,
    onEvent: (e) => events.push(e),
    color: "never",
  });
  return {
    text: transcript.text,
    creates: result.changeSummary.create ?? 0,
    inputs: JSON.stringify(events.map((e) => e.resourcePreEvent?.metadata.new?.inputs).filter((i) => i !== undefined)),
    diagnostics: events.map((e) => e.diagnosticEvent?.message ?? "").join(""),
    policy: events.map((e) => e.policyEvent).filter((p): p is PolicyEvent => p !== undefined),
  };
}

/** A policy that cannot decide a value unknown at preview hands it to `up`, which checks it before any change. */
export const isDeferral = (p: PolicyEvent) => /can't run policy .* during preview/.test(p.message);

/**
 * `pulumi up --yes` as a user or a workflow types it: the CLI previews first (the Automation API's `up` passes
 * --skip-preview instead), so a mandatory violation stops it before any resource changes.
 */
export function cliUp(workspace: EngineWorkspace, stack: string, configFile: string): { status: number | null; output: string } {
  const args = ["up", "--yes", "--non-interactive", "--color", "never", "--stack", stack, "--policy-pack", policyPack, "--policy-pack-config", configFile];
  const run = spawnSync("pulumi", args, { cwd: workspace.dir, env: { ...process.env, ...workspace.envFor(stack) }, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Logical names of the resources in a stack's state. */
export async function resourceNames(stack: Stack): Promise<string[]> {
  const state = await stack.exportStack();
  return (state.deployment?.resources ?? []).map((r: { urn: string }) => r.urn.split("::").pop() as string);
}

const gitIdentity = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };

/** A test and a prod stack of one workspace, each on its own real database, as the release tests use them. */
export interface ReleaseStacks {
  pg: Postgres;
  workspace: EngineWorkspace;
  test: Stack;
  prod: Stack;
  options: { policyPacks: string[]; policyPackConfigs: string[]; onOutput?: (s: string) => void; color: "never" };
  /**
   * With `gitCheckout`: a merge to main (a commit of the workspace, pushed to the emulated GitHub, so Vercel builds
   * a staged production deployment of it); returns the commit. Prod promotes only a commit a merge built.
   */
  merge: (message: string) => string;
}

/**
 * Starts PostgreSQL with a marked database per stack (`<prefix>_test`, `<prefix>_prod`), and a workspace whose stacks
 * point at them. Prod has its own passphrase, as in the pipelines: it reads test's plain outputs without test's.
 */
export async function releaseStacks(
  prefix: string,
  overrides: Record<string, unknown> = {},
  options: { policy?: Record<string, Record<string, unknown>>; onOutput?: (s: string) => void; gitCheckout?: boolean } = {},
): Promise<ReleaseStacks> {
  requireToolchain();
  const pg = await startPostgres();
  pg.createDatabase(`${prefix}_test`, "test");
  pg.createDatabase(`${prefix}_prod`, "prod");
  const workspace = await engineWorkspace({
    overrides: { test: { ...overrides, databaseUrl: pg.url(`${prefix}_test`) }, prod: { ...overrides, databaseUrl: pg.url(`${prefix}_prod`) } },
  });
  const password = { supabaseDbPassword: { value: pg.password, secret: true } };
  const git = (...args: string[]) => execFileSync("git", ["-C", workspace.dir, ...args], { encoding: "utf8", env: { ...process.env, ...gitIdentity } }).trim();
  if (options.gitCheckout) {
    fs.writeFileSync(path.join(workspace.dir, ".gitignore"), "node_modules\n.state/\n.remote/\n");
    git("init", "-q", "-b", "main");
  }
  // Prod promotes through Vercel's REST endpoints: the emulated ones, when it has a checkout to promote.
  const promotionApi = options.gitCheckout ? await workspace.remote.vercelApi() : {};
  const test = await workspace.stack("test", password);
  const prod = await workspace.stack("prod", password, { PULUMI_CONFIG_PASSPHRASE: "prod-only-throwaway-passphrase", ...promotionApi });
  const merge = (message: string) => {
    assert.ok(options.gitCheckout, "releaseStacks(…, { gitCheckout: true }) makes the workspace a git checkout");
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    const commit = git("rev-parse", "HEAD");
    workspace.remote.push("acme/dm-internal", commit, { state: "READY" });
    return commit;
  };
  return {
    merge,
    pg,
    workspace,
    test,
    prod,
    options: {
      policyPacks: [policyPack],
      policyPackConfigs: [testPolicyConfig(options.policy)],
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      color: "never",
    },
  };
}
