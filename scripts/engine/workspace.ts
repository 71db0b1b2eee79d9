import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";

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
  return fs.readFileSync(file, "utf8").split("\n").filter((line) => line.startsWith("pulumi-resource-"));
}

/**
 * Puts the engine first on this process's PATH, once: the toolchain's real binaries, then the offline stand-ins for
 * plugins that could not be built (a real plugin in bin/ always wins). The Automation API looks for `pulumi` on this
 * PATH, and the engine inherits it to find plugins. Says, the first time, which providers are stand-ins: what runs
 * them is the real engine, but not their APIs.
 */
function useEnginePath(log: (line: string) => void = console.log): string {
  const missing = missingPlugins();
  const dirs = [toolchainBin(), ...(missing.length > 0 ? [path.join(toolchainDir(), "standin-bin")] : [])].join(":");
  const current = process.env.PATH ?? "";
  if (current.startsWith(dirs)) return current;
  process.env.PATH = `${dirs}:${current}`;
  if (missing.length > 0) {
    log("NOTE: real pulumi CLI, language host and policy pack; OFFLINE STAND-IN provider plugins (inputs passed through, local commands really run) for:");
    for (const line of missing) log(`  ${line}`);
  }
  return process.env.PATH;
}

/** Dummy credentials of the right shapes: the providers' offline checks accept them, no API is ever called. */
export const dummySecrets: Record<string, Record<string, string>> = {
  test: {
    supabaseDbPassword: "dummy-test-db-password",
    supabaseAccessToken: "sbp_1111111111111111111111111111111111111111",
    supabaseServiceRoleKey: "sb_secret_dummyTestServiceRoleKey000000",
    vercelApiToken: "testtoken000000000000000",
  },
  prod: {
    supabaseDbPassword: "dummy-prod-db-password",
    supabaseAccessToken: "sbp_2222222222222222222222222222222222222222",
    supabaseServiceRoleKey: "sb_secret_dummyProdServiceRoleKey000000",
    vercelApiToken: "prodtoken000000000000000",
  },
};

// .github/CODEOWNERS: the prod stack refuses to run unless it gives the guarded paths to the release authority.
const projectFiles = ["Pulumi.yaml", "package.json", "tsconfig.json", "tsconfig.pulumi.json", "index.ts", "components", "config", "contracts", "lib", "supabase", ".github/CODEOWNERS"];

export interface EngineWorkspace {
  dir: string;
  backend: string;
  env: Record<string, string>;
  /** `env` overrides the workspace's environment for this stack only, e.g. its own PULUMI_CONFIG_PASSPHRASE. */
  stack(name: string, config?: Record<string, { value: string; secret?: boolean }>, env?: Record<string, string>): Promise<Stack>;
}

/**
 * A throwaway copy of the project with a local file backend, so the engine can create stacks, set secrets and
 * write state without touching the committed stack files or any cloud account.
 */
export async function engineWorkspace(
  options: { source?: string; overrides?: Record<string, Record<string, unknown>> } = {},
): Promise<EngineWorkspace> {
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
  const env: Record<string, string> = {
    PATH: enginePath,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "throwaway-local-passphrase",
    PULUMI_HOME: process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    GITHUB_TOKEN: "",
  };
  return {
    dir,
    backend,
    env,
    async stack(name, config = {}, stackEnv = {}) {
      const stack = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: dir }, { envVars: { ...env, ...stackEnv } });
      const secrets = { ...(dummySecrets[name] ?? dummySecrets.test), ...extraDummySecrets(dir, name) };
      const all: Record<string, { value: string; secret?: boolean }> = {};
      for (const [key, value] of Object.entries(secrets)) all[`${projectName}:${key}`] = { value, secret: true };
      for (const [key, value] of Object.entries(config)) all[key.includes(":") ? key : `${projectName}:${key}`] = value;
      await stack.setAllConfig(all);
      return stack;
    },
  };
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
