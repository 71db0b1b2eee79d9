import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { Remote, emulatorBin, remoteStateEnv, seedDefaultWorld } from "./remote";

export { emulatorBin };

export const repoRoot = path.join(__dirname, "..", "..");
export const projectName = "deploy-guardrails";

const toolchainDir = () => path.join(process.env.DEPLOY_GUARDRAILS_CACHE ?? path.join(os.homedir(), ".cache", "deploy-guardrails"), "toolchain", "current");

/** Where `npm run toolchain` leaves the engine and plugins; see scripts/toolchain.sh. */
export function toolchainBin(): string {
  return path.join(toolchainDir(), "bin");
}

/**
 * Provider plugins the toolchain could not build (the Go module proxy here does not serve them), with the reason,
 * as `npm run toolchain` recorded them in missing.txt.
 */
export function missingPlugins(): string[] {
  const file = path.join(toolchainDir(), "missing.txt");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("pulumi-resource-"));
}

/**
 * Puts the engine first on this process's PATH, once: the toolchain's real binaries, then the offline emulators for
 * plugins that could not be built (a real plugin in bin/ always wins). The Automation API looks for `pulumi` on this
 * PATH, and the engine inherits it to find plugins. Says once per process which providers are emulated: what runs
 * them is the real engine, but not the services' APIs.
 */
export function useEnginePath(log: (line: string) => void = console.log): string {
  const missing = missingPlugins();
  const dirs = [toolchainBin(), ...(missing.length > 0 ? [emulatorBin()] : [])].join(":");
  const current = process.env.PATH ?? "";
  if (current.startsWith(dirs)) return current;
  process.env.PATH = `${dirs}:${current}`;
  if (missing.length > 0) {
    const names = missing.map((line) => line.slice("pulumi-resource-".length).split(":")[0]);
    log(
      `NOTE: real pulumi CLI, language host and policy pack; OFFLINE EMULATORS (scripts/toolchain/emulators, rules in docs/emulator-rules.md; remote objects in each workspace's ${remoteStateEnv} folder) for the providers that could not be built: ${names.join(", ")}`,
    );
  }
  return process.env.PATH;
}

/** Dummy credentials of the right shapes: the emulators accept them, no real API is ever called. */
export const dummySecrets: Record<string, Record<string, string>> = {
  test: {
    supabaseDbPassword: "dummy-test-db-password",
    supabaseAccessToken: "sbp_1111111111111111111111111111111111111111",
    supabaseServiceRoleKey: "sb_secret_dummyTestServiceRoleKey000000",
    vercelApiToken: "testtoken000000000000000",
    generatedSecretsSeed: "dummy-test-seed-for-generated-secrets-0000000000",
  },
  prod: {
    supabaseDbPassword: "dummy-prod-db-password",
    supabaseAccessToken: "sbp_2222222222222222222222222222222222222222",
    supabaseServiceRoleKey: "sb_secret_dummyProdServiceRoleKey000000",
    vercelApiToken: "prodtoken000000000000000",
    generatedSecretsSeed: "dummy-prod-seed-for-generated-secrets-0000000000",
  },
};

/**
 * The GitHub token of each stack's run: no stack holds one in config (config/secret-keys.ts); the provider reads the
 * job's GITHUB_TOKEN, as in the workflows. GitHub refuses an anonymous write (401), as a real run would without one.
 */
export const dummyGithubTokens: Record<string, string> = {
  test: "ghp_dummyTestToken0000000000000000000000",
  prod: "ghp_dummyProdToken0000000000000000000000",
};

// .github/CODEOWNERS: the prod stack refuses to run unless it gives the guarded paths to the release authority.
const projectFiles = [
  "Pulumi.yaml",
  "package.json",
  "tsconfig.json",
  "tsconfig.pulumi.json",
  "index.ts",
  "components",
  "config",
  "contracts",
  "lib",
  "io",
  "supabase",
  ".github/CODEOWNERS",
];

export interface EngineWorkspace {
  dir: string;
  backend: string;
  env: Record<string, string>;
  /** The emulated remote (Vercel, GitHub, Supabase) of this workspace: read it, edit it by hand, seed it. */
  remote: Remote;
  /** The environment a CLI run of one stack gets: the workspace's, with that stack's GitHub token. */
  envFor(stack: string): Record<string, string>;
  /** `env` overrides the workspace's environment for this stack only, e.g. its own PULUMI_CONFIG_PASSPHRASE. */
  stack(name: string, config?: Record<string, { value: string; secret?: boolean }>, env?: Record<string, string>): Promise<Stack>;
}

/**
 * A throwaway copy of the project with a local file backend, so the engine can create stacks, set secrets and
 * write state without touching the committed stack files or any cloud account.
 */
export async function engineWorkspace(options: { source?: string; overrides?: Record<string, Record<string, unknown>> } = {}): Promise<EngineWorkspace> {
  const enginePath = useEnginePath();
  const source = options.source ?? repoRoot;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-guardrails-"));
  for (const item of projectFiles) {
    const from = path.join(source, item);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, item), { recursive: true });
    else if (fs.existsSync(path.join(repoRoot, item))) fs.cpSync(path.join(repoRoot, item), path.join(dir, item), { recursive: true });
  }
  const stackFiles = fs.readdirSync(source).filter((f) => /^Pulumi\.[A-Za-z0-9_-]+\.yaml$/.test(f));
  for (const stack of stackFiles.map((f) => f.slice("Pulumi.".length, -".yaml".length))) {
    const file = path.join(source, `Pulumi.${stack}.yaml`);
    // Structured values (lists, objects) go into the stack file, as a user would write them.
    const stackFile = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    for (const [key, value] of Object.entries(options.overrides?.[stack] ?? {})) {
      const full = key.includes(":") ? key : `${projectName}:${key}`;
      if (value === undefined) delete stackFile.config[full];
      else stackFile.config[full] = value;
    }
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml.dump(stackFile));
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  const backend = path.join(dir, ".state");
  fs.mkdirSync(backend);
  // The emulated remote lives beside the backend, not in it: what a service holds is not Pulumi state.
  const remote = new Remote(path.join(dir, ".remote"));
  seedDefaultWorld(remote, stackConfigs(dir));
  const env = await engineEnvironment(enginePath, backend, remote);
  return {
    dir,
    backend,
    env,
    remote,
    envFor: (stack) => ({ ...env, GITHUB_TOKEN: dummyGithubTokens[stack] ?? dummyGithubTokens.test }),
    async stack(name, config = {}, stackEnv = {}) {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir: dir },
        { envVars: { ...env, GITHUB_TOKEN: dummyGithubTokens[name] ?? dummyGithubTokens.test, ...stackEnv } },
      );
      const secrets = { ...(dummySecrets[name] ?? dummySecrets.test), ...extraDummySecrets(dir, name) };
      const all: Record<string, { value: string; secret?: boolean }> = {};
      for (const [key, value] of Object.entries(secrets)) all[`${projectName}:${key}`] = { value, secret: true };
      for (const [key, value] of Object.entries(config)) all[key.includes(":") ? key : `${projectName}:${key}`] = value;
      await stack.setAllConfig(all);
      return stack;
    },
  };
}

/**
 * What every engine run of a throwaway workspace gets: the toolchain's PATH, a file backend, the emulated remote (and
 * its Supabase Management API on loopback, so the release's CLI never reaches api.supabase.com), no update checks or
 * plugin downloads, and no GitHub token unless a stack's run adds one.
 */
export async function engineEnvironment(enginePath: string, backend: string, remote: Remote): Promise<Record<string, string>> {
  return {
    PATH: enginePath,
    [remoteStateEnv]: remote.dir,
    ...(await remote.supabaseApi()),
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "throwaway-local-passphrase",
    PULUMI_HOME: process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    GITHUB_TOKEN: "",
  };
}

/** The config of every stack file in a workspace copy, by stack name. */
function stackConfigs(dir: string): Record<string, Record<string, unknown>> {
  const configs: Record<string, Record<string, unknown>> = {};
  for (const file of fs.readdirSync(dir).filter((f) => /^Pulumi\.[A-Za-z0-9_-]+\.yaml$/.test(f))) {
    const parsed = yaml.load(fs.readFileSync(path.join(dir, file), "utf8")) as { config?: Record<string, unknown> };
    configs[file.slice("Pulumi.".length, -".yaml".length)] = parsed.config ?? {};
  }
  return configs;
}

export const policyPack = path.join(repoRoot, "policy");
export const policyConfig = path.join(repoRoot, "policy.config.json");

/**
 * Secret config keys a stack file refers to beyond the built-in ones (e.g. `{"secret": "stripeSecretKey"}`),
 * given dummy values so an offline preview can run; prod's dummies differ from every other stack's.
 */
function extraDummySecrets(dir: string, stack: string): Record<string, string> {
  const text = fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");
  const extra: Record<string, string> = {};
  for (const match of text.matchAll(/\bsecret:\s*["']?([A-Za-z][A-Za-z0-9_]*)/g)) {
    if (!(match[1] in dummySecrets.test) && match[1] !== "true" && match[1] !== "false") extra[match[1]] = `dummy-${stack}-${match[1]}-value`;
  }
  return extra;
}
