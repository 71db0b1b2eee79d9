import { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startPostgres } from "../tests/engine/postgres";
import { scratch } from "../tests/emulators/scratch";
import { engineWorkspace, missingPlugins, repoRoot, toolchainBin } from "./engine/workspace";

/**
 * Prints how long the engine takes for our program, as a ratio to the engine's own floor (the preview of an
 * empty TypeScript program) measured in the same run, and the program's time per resource as a ratio to a floor of
 * N trivial resources through the same (emulated) plugins. A script that prints numbers, not a test.
 */
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

async function timed(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm: plugin binaries and node modules in the page cache, stacks created

  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function emptyProgramPreview(env: Record<string, string>): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-guardrails-empty-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: empty\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "empty", main: "index.ts" }));
  fs.copyFileSync(path.join(repoRoot, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "floor", workDir: dir }, { envVars: env });
  return timed(() => stack.preview());
}

/** Resources a preview registered (everything it would create, update or keep). */
function registered(summary: Record<string, number | undefined>): number {
  return Object.values(summary).reduce((sum: number, n) => sum + (n ?? 0), 0);
}

/** The floor: a JavaScript program registering `count` trivial Vercel variables, nothing else. */
async function trivialResources(count: number): Promise<{ seconds: number; resources: number }> {
  const s = await scratch();
  s.program(
    `for (let i = 0; i < ${count}; i++) new vercel.ProjectEnvironmentVariable("v" + i, { projectId: "prj_floor", key: "BENCH_VAR_" + i, value: "value-" + i, sensitive: false, targets: ["preview"] });`,
  );
  const stack = await s.stack("floor");
  stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
  let resources = 0;
  const seconds = await timed(async () => (resources = registered((await stack.preview()).changeSummary)));
  s.remote.close();
  return { seconds, resources };
}

function variables(count: number) {
  return Array.from({ length: count }, (_, i) => ({ key: `BENCH_VAR_${i}`, value: `value-${i}`, targets: ["preview"] }));
}

async function main() {
  const rows: [string, number][] = [];
  const base = await engineWorkspace();
  const floor = await emptyProgramPreview(base.env);
  rows.push(["empty program preview (floor)", floor]);
  const testStack = await base.stack("test");
  rows.push(["test stack preview (committed config)", await timed(() => testStack.preview())]);
  // What Pulumi.yaml's tsconfig.pulumi.json (noCheck) saves: the same preview with ts-node type-checking again.
  testStack.workspace.envVars.PULUMI_NODEJS_TRANSPILE_ONLY = "false";
  rows.push(["  same, type-checked by ts-node (old default)", await timed(() => testStack.preview())]);
  delete testStack.workspace.envVars.PULUMI_NODEJS_TRANSPILE_ONLY;
  const perResource: [number, number, number, number, number][] = [];
  for (const count of [10, 100, 1000]) {
    const workspace = await engineWorkspace({
      overrides: { test: { vercelProjects: [{ name: "dm-internal", projectId: "prj_placeholder0000000000000000", variables: variables(count) }] } },
    });
    const stack = await workspace.stack("test");
    rows.push([`test stack preview, ${count} Vercel variables`, await timed(() => stack.preview())]);
    // The same preview the way \`npm run plan\` runs it, against N trivial resources through the same plugins.
    stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
    let resources = 0;
    const program = await timed(async () => (resources = registered((await stack.preview()).changeSummary)));
    const trivial = await trivialResources(count);
    perResource.push([count, program, resources, trivial.seconds, trivial.resources]);
    workspace.remote.close();
  }
  const pg = await startPostgres();
  try {
    pg.createDatabase("bench", "test");
    const workspace = await engineWorkspace({
      overrides: { test: { enableVercel: false, enableGithub: false, edgeFunctions: [], functionSecrets: [], databaseUrl: pg.url("bench") } },
    });
    const stack = await workspace.stack("test", { supabaseDbPassword: { value: pg.password, secret: true } });
    await stack.up();
    rows.push(["no-op up (Supabase release, real PostgreSQL)", await timed(() => stack.up())]);
  } finally {
    pg.stop();
  }
  console.log(`\nengine: ${toolchainBin()}  rounds: ${rounds} (median)`);
  if (missingPlugins().length) console.log("providers: offline emulators (see NOTE above); provider time is not what the real plugins take");
  console.log("");
  console.log("| scenario | seconds | ratio to floor |\n|---|---:|---:|");
  for (const [name, seconds] of rows) console.log(`| ${name} | ${seconds.toFixed(2)} | ${(seconds / floor).toFixed(2)} |`);
  console.log(
    "\nPer resource, against N trivial Vercel variables through the same emulated plugin (previews with PULUMI_SKIP_CHECKPOINTS, as `npm run plan`):\n",
  );
  console.log("| N | program s (resources) | trivial s (resources) | program ms/resource | trivial ms/resource | ratio |\n|---:|---:|---:|---:|---:|---:|");
  for (const [n, program, resources, trivial, trivialCount] of perResource) {
    const p = (program * 1000) / resources;
    const t = (trivial * 1000) / trivialCount;
    console.log(
      `| ${n} | ${program.toFixed(2)} (${resources}) | ${trivial.toFixed(2)} (${trivialCount}) | ${p.toFixed(1)} | ${t.toFixed(1)} | ${(p / t).toFixed(2)} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
