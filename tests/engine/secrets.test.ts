import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { EngineWorkspace, dummySecrets, engineWorkspace } from "../../scripts/engine/workspace";
import { deriveGeneratedSecret } from "../../lib/generated-secrets";
import { requireToolchain } from "./harness";

/**
 * One CLI run with its own TMPDIR (where `-v` without --logtostderr writes its log files); every text it produced.
 * Asynchronous, so that an HTTP server of this test process can answer the program.
 */
async function cli(workspace: EngineWorkspace, args: string[], env: Record<string, string> = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-guardrails-logs-"));
  const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], {
    cwd: workspace.dir,
    env: { ...process.env, ...workspace.envFor("test"), TMPDIR: tmp, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const files = fs.readdirSync(tmp).map((f) => ({ name: f, text: fs.readFileSync(path.join(tmp, f), "utf8") }));
  return { status, output: `${stdout}${stderr}`, texts: [{ name: "stdout", text: stdout }, { name: "stderr", text: stderr }, ...files] };
}

/** The SDK's debug line for a resource carrying the generated secret, as the program leaves it: proof that the run logged what used to leak. */
const redactedLine =
  /RegisterResource RPC finished: resource:vercel-dm-internal-CRON_SECRET-preview\[vercel:index\/projectEnvironmentVariable:ProjectEnvironmentVariable\]; err: null, resp: \(not logged by deploy-guardrails/;

function exportState(workspace: EngineWorkspace, stack: string): { urn: string; outputs?: Record<string, unknown> }[] {
  const run = spawnSync("pulumi", ["stack", "export", "--show-secrets", "--stack", stack], {
    cwd: workspace.dir,
    env: { ...process.env, ...workspace.env },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  return (JSON.parse(run.stdout) as { deployment: { resources?: { urn: string; outputs?: Record<string, unknown> }[] } }).deployment.resources ?? [];
}

/** Where a secret shows up, as "<name> in <where>"; values are never printed. */
function leaks(texts: { name: string; text: string }[], secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) for (const t of texts) if (t.text.includes(value)) found.push(`${name} in ${t.name}`);
  return found;
}

describe("engine: no secret in any output, at every log level the CLI offers", function () {
  this.timeout(0);
  before(requireToolchain);
  let workspace: EngineWorkspace;
  let secrets: Record<string, string>;

  before(async () => {
    // The release steps need PostgreSQL and the Supabase API; the generated CRON_SECRET only needs Vercel.
    workspace = await engineWorkspace({ overrides: { test: { enableSupabaseRelease: false } } });
    // The test stack adds variables to prod's project shell: on the emulated Vercel, that project must exist.
    workspace.remote.vercelProject("prj_placeholder0000000000000000", "dm-internal");
    await workspace.stack("test");
    const created = await cli(workspace, ["up", "--yes", "--skip-preview", "--stack", "test", "--debug"]);
    assert.strictEqual(created.status, 0, created.output);
    // The generated CRON_SECRET, derived from the stack's seed as the program derives it (lib/generated-secrets.ts).
    const generated = deriveGeneratedSecret(dummySecrets.test.generatedSecretsSeed, { stack: "test", name: "cronSecret", version: 1, length: 48 });
    const stored = exportState(workspace, "test").find((r) => r.urn.endsWith("::vercel-dm-internal-CRON_SECRET-preview"))?.outputs?.value as
      { plaintext?: string } | string | undefined;
    assert.strictEqual(
      typeof stored === "string" ? stored : JSON.parse(stored?.plaintext ?? '""'),
      generated,
      "the generated CRON_SECRET is not what Vercel got",
    );
    secrets = { ...dummySecrets.test, CRON_SECRET: generated };
    assert.deepStrictEqual(leaks(created.texts, secrets), [], "pulumi up --debug printed a secret");
    assert.match(created.output, redactedLine, "the SDK's debug lines were not seen: the test would prove nothing");
  });

  const quiet: [string, string[]][] = [
    ["up --debug (no changes: the responses still carry the outputs)", ["up", "--yes", "--skip-preview", "--stack", "test", "--debug"]],
    ["up -v=9 --logtostderr", ["up", "--yes", "--skip-preview", "--stack", "test", "-v=9", "--logtostderr"]],
    ["preview -v=9 (log files in TMPDIR)", ["preview", "--stack", "test", "-v=9"]],
    ["preview --debug -v=10 --logtostderr", ["preview", "--stack", "test", "--debug", "-v=10", "--logtostderr"]],
  ];
  for (const [what, args] of quiet) {
    it(`${what}: runs, and no output or log file holds a secret`, async () => {
      const run = await cli(workspace, args);
      assert.strictEqual(run.status, 0, run.output);
      assert.ok(
        run.texts.some((t) => redactedLine.test(t.text)),
        "the run did not log the line that used to leak: it proves nothing",
      );
      assert.deepStrictEqual(leaks(run.texts, secrets), []);
    });
  }

  const refused: [string, string[], Record<string, string>, RegExp][] = [
    [
      "-v=11 (Pulumi exposes known credentials on purpose)",
      ["-v=11", "--logtostderr"],
      {},
      /-v=11: at level 11 Pulumi writes known credentials into its logs on purpose/,
    ],
    [
      "--logflow -v=9 (providers log their HTTP requests)",
      ["--logflow", "-v=9", "--logtostderr"],
      {},
      /--logflow with -v=9: it passes the level to the provider plugins/,
    ],
    ["TF_LOG=DEBUG (bridged providers dump requests with headers)", [], { TF_LOG: "DEBUG" }, /TF_LOG \(or TF_LOG_PROVIDER\) is set/],
  ];
  for (const [what, flags, env, reason] of refused) {
    it(`up with ${what}: refused before any change, saying why, and no secret printed`, async () => {
      const before = exportState(workspace, "test").map((r) => r.urn);
      const run = await cli(workspace, ["up", "--yes", "--stack", "test", ...flags], env);
      assert.notStrictEqual(run.status, 0, "the run should have been refused");
      assert.match(run.output, /Refusing to run: this run's logging would print secret values/);
      assert.match(run.output, reason);
      assert.deepStrictEqual(
        exportState(workspace, "test").map((r) => r.urn),
        before,
      );
      assert.deepStrictEqual(leaks(run.texts, secrets), []);
    });
  }

  it("PULUMI_DEBUG_GRPC: refused, but the engine has already written the decrypted config into the dump (so the workflow rules must forbid it)", async () => {
    const dump = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "grpc-")), "grpc.json");
    const run = await cli(workspace, ["up", "--yes", "--stack", "test"], { PULUMI_DEBUG_GRPC: dump });
    assert.notStrictEqual(run.status, 0);
    assert.match(run.output, /PULUMI_DEBUG_GRPC is set: the engine writes every gRPC message, secret values in plain text, to that file/);
    assert.deepStrictEqual(leaks(run.texts, secrets), [], "the CLI's own output");
    const dumped = leaks([{ name: "the gRPC dump", text: fs.readFileSync(dump, "utf8") }], secrets);
    assert.ok(dumped.includes("supabaseDbPassword in the gRPC dump"), "the engine no longer dumps the config: revisit the README's note");
    assert.ok(!dumped.includes("CRON_SECRET in the gRPC dump"), "the refusal came too late: resources were registered");
  });
});

describe("engine: at preview, a test-stack token that reaches prod is refused, loudly", function () {
  this.timeout(0);
  before(requireToolchain);
  const prodRef = "prodrefbbbbbbbbbbbbb";
  let server: http.Server;
  let base: string;
  let seesProd = true;
  const authorizations = new Set<string>();

  before(async () => {
    server = http.createServer((req, res) => {
      authorizations.add(req.headers.authorization ?? "");
      const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.url === "/v1/projects") return send(200, [{ ref: "testrefaaaaaaaaaaaaa" }, ...(seesProd ? [{ ref: prodRef }] : [])]);
      if (req.url?.startsWith("/v9/projects/")) return seesProd ? send(200, { id: "prj_placeholder0000000000000000", name: "dm-internal" }) : send(404, {});
      return send(404, {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const apis = () => ({ DEPLOY_GUARDRAILS_SUPABASE_API_URL: base, DEPLOY_GUARDRAILS_VERCEL_API_URL: base });

  it("the Supabase token sees the prod project and the Vercel token reads it: the preview fails, naming both keys, printing neither token", async () => {
    seesProd = true;
    const workspace = await engineWorkspace();
    await workspace.stack("test");
    const run = await cli(workspace, ["preview", "--stack", "test"], apis());
    assert.notStrictEqual(run.status, 0);
    assert.match(run.output, /A token of stack "test" can reach prod \(2 problems\)/);
    assert.match(
      run.output,
      /deploy-guardrails:supabaseAccessToken of stack test can reach the prod Supabase project \(prodProjectRef\): GET \/v1\/projects lists it/,
    );
    assert.match(run.output, /deploy-guardrails:vercelApiToken of stack test can reach the Vercel project dm-internal/);
    assert.deepStrictEqual(leaks(run.texts, dummySecrets.test), []);
    assert.ok(
      authorizations.has(`Bearer ${dummySecrets.test.supabaseAccessToken}`) && authorizations.has(`Bearer ${dummySecrets.test.vercelApiToken}`),
      "the APIs were not asked with the stack's tokens",
    );
  });

  it("acknowledged with a reason: the preview passes and prints each case as a warning", async () => {
    seesProd = true;
    const reason = "one Vercel project for every tier: the Preview token can write Production variables";
    const workspace = await engineWorkspace({
      overrides: {
        test: {
          acknowledgedTokenReach: [
            { key: "vercelApiToken", reason },
            { key: "supabaseAccessToken", reason: "one Supabase account owns both projects until the migration" },
          ],
        },
      },
    });
    await workspace.stack("test");
    const run = await cli(workspace, ["preview", "--stack", "test"], apis());
    assert.strictEqual(run.status, 0, run.output);
    assert.match(
      run.output,
      new RegExp(
        `warning: deploy-guardrails:vercelApiToken of stack test can reach the Vercel project dm-internal.*Acknowledged in deploy-guardrails:acknowledgedTokenReach: "${reason}"`,
      ),
    );
    assert.match(run.output, /warning: deploy-guardrails:supabaseAccessToken of stack test can reach the prod Supabase project/);
  });

  it("tokens that see only test: the preview passes without a word about them", async () => {
    seesProd = false;
    const workspace = await engineWorkspace();
    await workspace.stack("test");
    const run = await cli(workspace, ["preview", "--stack", "test"], apis());
    assert.strictEqual(run.status, 0, run.output);
    assert.doesNotMatch(run.output, /can reach|Could not check/);
  });
});

describe("engine: a policy config of the old single-SHA-256 format", function () {
  this.timeout(0);
  before(requireToolchain);

  it("is refused by the engine's schema check, naming the policy and the key, before anything runs", async () => {
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy.config.json"), "utf8")) as Record<string, Record<string, unknown>>;
    config["no-prod-credential-outside-prod"].prodFingerprints = { salt: "d89f791cedd9b31854f0e4d0b865ebac", sha256: ["0".repeat(64)] };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "old-policy-config-")), "policy.config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    const workspace = await engineWorkspace();
    await workspace.stack("test");
    const run = await cli(workspace, ["preview", "--stack", "test", "--policy-pack", path.join(__dirname, "..", "..", "policy"), "--policy-pack-config", file]);
    assert.notStrictEqual(run.status, 0);
    assert.match(run.output, /validating policy config: .*no-prod-credential-outside-prod: prodFingerprints: (kdf|entries) is required/);
  });
});

describe("engine: the size of the configuration", function () {
  this.timeout(0);
  before(requireToolchain);

  it("past 128 KiB the CLI cannot start the program (fork/exec: argument list too long); before that, the program warns, naming the key", async () => {
    const big = await engineWorkspace({ overrides: { test: { integrationTestCommand: `sh run.sh ${"a".repeat(200 * 1024)}` } } });
    await big.stack("test");
    const wall = await cli(big, ["preview", "--stack", "test"]);
    assert.notStrictEqual(wall.status, 0);
    assert.match(wall.output, /argument list too long/, "the CLI found another way to pass the config: revisit config/size.ts and the README");
    const near = await engineWorkspace({ overrides: { test: { integrationTestCommand: `sh run.sh ${"a".repeat(100 * 1024)}` } } });
    await near.stack("test");
    const warned = await cli(near, ["preview", "--stack", "test"]);
    assert.strictEqual(warned.status, 0, warned.output);
    assert.match(
      warned.output,
      /warning: The configuration of this stack is 10\d KiB\. .*Largest keys: deploy-guardrails:integrationTestCommand \(10[01] KiB\)/,
    );
  });
});
