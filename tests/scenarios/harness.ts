import { LocalWorkspace, Stack, UpResult } from "@pulumi/pulumi/automation";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { EngineWorkspace, projectName } from "../../scripts/engine/workspace";
import { Remote } from "../../scripts/engine/remote";
import { StackSnapshot, Unmanaged, remoteDifferences, snapshot } from "./declared";

/**
 * A user's edit of a stack file between two runs: `change` gets the stack's `config` map (keys with or without the
 * project's namespace), secrets stay as the engine wrote them.
 */
export function editStackFile(workspace: EngineWorkspace, stack: string, change: (config: Record<string, any>) => void): void {
  const file = path.join(workspace.dir, `Pulumi.${stack}.yaml`);
  const parsed = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  const config = new Proxy(parsed.config, {
    get: (target, key: string) => target[key.includes(":") ? key : `${projectName}:${key}`],
    set: (target, key: string, value) => {
      target[key.includes(":") ? key : `${projectName}:${key}`] = value;
      return true;
    },
    deleteProperty: (target, key: string) => delete target[key.includes(":") ? key : `${projectName}:${key}`],
  });
  change(config);
  fs.writeFileSync(file, yaml.dump(parsed));
}

/** The `pulumi` CLI in the workspace, for what the Automation API does not offer (state unprotect). */
export function cli(stack: Stack, args: string[]): string {
  const run = spawnSync("pulumi", [...args, "--stack", stack.name, "--non-interactive"], {
    cwd: stack.workspace.workDir,
    env: { ...process.env, ...stackEnv(stack) },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed: ${run.stdout}${run.stderr}`);
  return run.stdout;
}

/** The environment a stack's runs get (its own passphrase, its GitHub token). */
export function stackEnv(stack: Stack): Record<string, string> {
  return (stack.workspace as LocalWorkspace).envVars;
}

/** The changes an update made to resources, without the unchanged ones and the stack references it read. */
export function changes(up: UpResult): Record<string, number> {
  return Object.fromEntries(Object.entries(up.summary.resourceChanges ?? {}).filter(([op, n]) => op !== "same" && op !== "read" && (n ?? 0) > 0)) as Record<
    string,
    number
  >;
}

/** Every difference between the remote and what the given stacks' configs declare: [] is "exactly what the config says". */
export async function differences(workspace: EngineWorkspace, stacks: Stack[], unmanaged: Unmanaged = {}): Promise<string[]> {
  const snaps: StackSnapshot[] = [];
  for (const stack of stacks) snaps.push(await snapshot(workspace, stack));
  return remoteDifferences(workspace.remote, snaps, unmanaged);
}

/** The Vercel variables of one key, with their ids, targets and types. */
export function variablesOf(remote: Remote, key: string): { id: string; target: string[]; type: string; gitBranch?: string }[] {
  return (Object.values(remote.read("vercel").env) as { id: string; key: string; target: string[]; type: string; gitBranch?: string }[])
    .filter((e) => e.key === key)
    .map(({ id, target, type, gitBranch }) => ({ id, target: [...target].sort(), type, ...(gitBranch ? { gitBranch } : {}) }))
    .sort((a, b) => a.target.join().localeCompare(b.target.join()));
}
