import * as pulumi from "@pulumi/pulumi";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { recordLine } from "../../lib/release-evidence";

const root = path.join(__dirname, "..", "..");
export const examplesDir = path.join(root, "examples");
export const dummySecrets: Record<string, string> = {
  supabaseDbPassword: "dummy-db-password-for-unit-tests",
  supabaseAccessToken: "sbp_0123456789abcdef0123456789abcdef01234567",
  supabaseServiceRoleKey: "sb_secret_dummyUnitTestServiceRoleKey00",
  vercelApiToken: "abcdefghijklmnopqrstuvwx",
  generatedSecretsSeed: "dummy-unit-test-seed-for-generated-secrets-000",
};

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The config the engine hands the program: Pulumi.yaml defaults, then the committed stack file (of the root, or of
 * an example folder given as stackDir), then overrides.
 */
export function stackConfig(stack: string, overrides: Record<string, unknown> = {}, secrets: Record<string, string> = dummySecrets, stackDir = root) {
  const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default?: unknown }> };
  const stackFile = yaml.load(fs.readFileSync(path.join(stackDir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const values: Record<string, string> = {};
  for (const [key, declaration] of Object.entries(project.config)) if (declaration.default !== undefined) values[key] = asConfigString(declaration.default);
  for (const [key, value] of Object.entries(stackFile.config)) values[key] = asConfigString(value);
  for (const [key, value] of Object.entries(secrets)) values[`deploy-guardrails:${key}`] = value;
  for (const [key, value] of Object.entries(overrides)) {
    const full = `deploy-guardrails:${key}`;
    if (value === undefined) delete values[full];
    else values[full] = asConfigString(value);
  }
  return { values, secretKeys: Object.keys(secrets).map((k) => `deploy-guardrails:${k}`) };
}

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** Logical names of the resources named in the `dependsOn` option. */
  dependsOn: string[];
  /** The `import` option (an id to adopt), the parent's logical name and the `aliases` option, as registered. */
  options: { importId?: string; parent?: string; aliases: unknown[] };
  ignoreChanges: string[];
}

/** The script a release step runs, without the wrapper that clears its environment (lib/commands.ts withCleanEnvironment). */
export function stepBody(create: string): string {
  const match = /exec env -i "\$@" \/bin\/sh -c '([\s\S]*)'$/.exec(create);
  if (!match) throw new Error(`not a step wrapped by withCleanEnvironment: ${create.slice(0, 80)}`);
  return match[1].replace(/'\\''/g, "'");
}

/**
 * What a release step prints when it succeeds, so the program's outputs can be followed under mocks: the record the
 * real script prints from the same environment (tests/unit/release.test.ts runs the real scripts).
 */
function simulatedStdout(name: string, inputs: Record<string, any>): string {
  const env = plain(inputs.environment ?? {}) as Record<string, string>;
  if (name.endsWith("-marker-check")) return recordLine("marker", env.EXPECTED_ENVIRONMENT, env.RELEASE_ID);
  if (name.endsWith("-db-push")) return [recordLine("migrations", env.MIGRATIONS_DIGEST), recordLine("ledger", "")].join("\n");
  if (name.endsWith("-function-secrets")) return recordLine("secrets", env.SECRET_NAMES_DIGEST);
  const fn = /-function-(.+)$/.exec(name);
  if (fn) return recordLine("function", fn[1], env.FUNCTION_DIGEST, /verifyJwt=(true|false)/.exec(inputs.create)?.[0] ?? "");
  if (name.endsWith("-integration-tests"))
    return [
      recordLine("passed", env.RELEASE_ID),
      ...(env.RELEASE_COMMIT ? [recordLine("commit", env.RELEASE_COMMIT)] : []),
      ...(env.RELEASE_TREE ? [recordLine("tree", env.RELEASE_TREE)] : []),
    ].join("\n");
  if (name.endsWith("-release-record")) return recordLine("released", env.RELEASE_ID);
  if (name === "vercel-promote") {
    const projects = JSON.parse(env.PROJECTS) as { name: string; id: string }[];
    return [
      ...projects.map((p) => recordLine("promoted", p.name, `dpl_${p.name.replace(/[^A-Za-z0-9]/g, "")}${env.COMMIT.slice(0, 7)}`, env.COMMIT)),
      recordLine("live", env.COMMIT),
    ].join("\n");
  }
  return "";
}

const secretSig = "4dabf18193072939515e22adb298388d";
export const isSecretInput = (v: unknown): boolean =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[secretSig] === "1b47061264138c4ac30d75fd1eb44270";
/** Secret inputs arrive wrapped in mocks; unwrap them for value assertions. */
export function plain(v: any): any {
  if (isSecretInput(v)) return plain(v.value);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** The commit the program under test releases: the checkout's HEAD (lib/release-commit.ts). */
export const headCommit = (): string => execFileSync("git", ["-C", root, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
export const headTree = (): string => execFileSync("git", ["-C", root, "rev-parse", "HEAD^{tree}"], { encoding: "utf8" }).trim();

/**
 * Runs the program under mocks for one stack and returns every resource it registered, with its inputs. `gate` is
 * what the gate stack's outputs hold (a release id: passed on this checkout's commit), `own` the stack's last outputs.
 */
export async function runProgram(
  stack: string,
  config: { values: Record<string, string>; secretKeys: string[] },
  gate?: string | Record<string, unknown>,
  own: Record<string, unknown> = {},
) {
  const registered: Registered[] = [];
  const dependencies = new Map<string, string[]>();
  const ignored = new Map<string, string[]>();
  const options = new Map<string, Registered["options"]>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          dependsOn: dependencies.get(args.name) ?? [],
          ignoreChanges: ignored.get(args.name) ?? [],
          options: options.get(args.name) ?? { aliases: [] },
        });
        if (args.type === "pulumi:pulumi:StackReference") {
          // The gate stack says what passed on test; the stack's own reference (its last update) is empty, as on day one.
          const gateOutputs = typeof gate === "string" ? { passedReleaseId: gate, passedCommit: headCommit(), passedTree: headTree() } : gate;
          const outputs = args.name === "release-gate-source" && gateOutputs ? gateOutputs : args.name === "release-history" ? own : {};
          return { id: args.name, state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
        }
        if (args.type === "random:index/randomPassword:RandomPassword") {
          return { id: `${args.name}-id`, state: { ...args.inputs, result: "r".repeat(args.inputs.length) } };
        }
        if (args.type === "command:local:Command")
          return { id: `${args.name}-id`, state: { ...args.inputs, stdout: simulatedStdout(args.name, args.inputs), stderr: "" } };
        return { id: `${args.name}-id`, state: args.inputs };
      },
      // GitHub lists every environment as existing, each without deployment policies (what adoptGithub asks).
      call: (args) => {
        if (args.token === "github:index/getRepositoryEnvironments:getRepositoryEnvironments") {
          return {
            ...args.inputs,
            environments: ["production", "production-readonly", "test", "test-readonly", "staging", "staging-readonly"].map((name) => ({
              name,
              nodeId: `EN_${name}`,
            })),
          };
        }
        if (args.token === "github:index/getRepositoryEnvironmentDeploymentPolicies:getRepositoryEnvironmentDeploymentPolicies")
          return { ...args.inputs, policies: [] };
        return args.inputs;
      },
    },
    "deploy-guardrails",
    stack,
    false,
    "organization",
  );
  pulumi.runtime.setAllConfig(config.values, config.secretKeys);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../../index") as () => Promise<Record<string, unknown>>;
  const outputs = (await pulumi.runtime.runInPulumiStack(async () => {
    // Mocks do not report resource options; a stack transformation sees them before registration.
    pulumi.runtime.registerStackTransformation((args) => {
      const dependsOn = ([] as unknown[]).concat(args.opts.dependsOn ?? []) as pulumi.Resource[];
      dependencies.set(
        args.name,
        dependsOn.map((r) => (r as unknown as { __name: string }).__name),
      );
      ignored.set(args.name, args.opts.ignoreChanges ?? []);
      const parent = args.opts.parent as unknown as { __name?: string } | undefined;
      options.set(args.name, {
        importId: (args.opts as pulumi.CustomResourceOptions).import as string | undefined,
        parent: parent?.__name,
        aliases: [...(args.opts.aliases ?? [])],
      });
      return undefined;
    });
    return program();
  })) as Record<string, unknown>;
  await settled(registered);
  return { registered, outputs };
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export const ofType = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);

/** Mocks register resources asynchronously; wait until no new registration arrives for a few ticks. */
async function settled(registered: Registered[]): Promise<void> {
  let last = -1;
  let quiet = 0;
  while (quiet < 3) {
    await new Promise((r) => setTimeout(r, 20));
    quiet = registered.length === last ? quiet + 1 : 0;
    last = registered.length;
  }
}
