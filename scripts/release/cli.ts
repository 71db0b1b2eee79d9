import { spawnSync } from "child_process";

/** `--name value` from the command line. */
export function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/**
 * A stack's plain outputs, read with `pulumi stack output --json`: it needs read access to the state backend, not the
 * stack's passphrase (secret outputs read as "[secret]"), which is why read-only jobs can run it.
 */
export function stackOutputs(stack: string, cwd: string): Record<string, unknown> {
  const run = spawnSync("pulumi", ["stack", "output", "--json", "--stack", stack], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  if (run.status !== 0)
    throw new Error(`cannot read the outputs of stack "${stack}": ${(run.stderr || run.stdout || String(run.error)).trim().split("\n")[0]}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
