import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PlainRunError } from "../../config/errors";
import { defaultTargets, allowedTargets } from "../../config/vercel";
import { isSensitive } from "../../config/sources";
import { functionDeployScript, functionSecretsScript, releaseGateScript, supabaseWorkdir, markerCheckScript } from "../../lib/commands";
import { decideRelease } from "../../lib/release-gate";
import { functionEntries, hashEntries, releaseIdOf } from "../../lib/release-id";
import { frameworkInput, planVariables } from "../../lib/vercel-plan";
import { deploymentPolicyPlan, writingEnvironmentBranches } from "../../lib/github-plan";

const file = (path: string, content: string) => ({ path, content: Buffer.from(content) });

describe("release ids", () => {
  const cases: { name: string; a: ReturnType<typeof file>[]; b: ReturnType<typeof file>[]; same: boolean }[] = [
    { name: "the same files listed in another order", a: [file("1.sql", "a"), file("2.sql", "b")], b: [file("2.sql", "b"), file("1.sql", "a")], same: true },
    { name: "one changed byte", a: [file("1.sql", "a")], b: [file("1.sql", "b")], same: false },
    { name: "a renamed file", a: [file("1.sql", "a")], b: [file("2.sql", "a")], same: false },
    { name: "an added file", a: [file("1.sql", "a")], b: [file("1.sql", "a"), file("2.sql", "")], same: false },
    { name: "content moved across the name boundary", a: [file("ab", "c")], b: [file("a", "bc")], same: false },
  ];
  for (const c of cases) {
    it(`${c.same ? "keeps" : "changes"} the hash for ${c.name}`, () => {
      assert.strictEqual(hashEntries(c.a) === hashEntries(c.b), c.same);
    });
  }
  it("tells a migration from a function with the same bytes", () => {
    assert.notStrictEqual(releaseIdOf([file("x", "1")], []), releaseIdOf([], [file("x", "1")]));
  });
  it("gives each function its own files plus _shared", () => {
    const all = [file("hello/index.ts", "1"), file("hello-world/index.ts", "2"), file("_shared/cors.ts", "3")];
    assert.deepStrictEqual(functionEntries(all, "hello").map((e) => e.path), ["hello/index.ts", "_shared/cors.ts"]);
  });
});

describe("the release decision", () => {
  const cases = [
    { tested: undefined, expect: "nothing" },
    { tested: "", expect: "nothing" },
    { tested: "nothing", expect: "nothing" },
    { tested: "rel-a", expect: "release" },
    { tested: " rel-a ", expect: "release" },
    { tested: "rel-b", expect: "refuse" },
  ];
  for (const c of cases) {
    it(`with ${JSON.stringify(c.tested)} tested and rel-a in the tree: ${c.expect}`, () => {
      assert.strictEqual(decideRelease({ releaseId: "rel-a", testedReleaseId: c.tested, gateStack: "org/p/test" }).kind, c.expect);
    });
  }
  it("names both releases and the command to run when it refuses", () => {
    const decision = decideRelease({ releaseId: "rel-a", testedReleaseId: "rel-b", gateStack: "org/p/test" });
    assert.ok(decision.kind === "refuse");
    assert.match(decision.message, /Refusing to release rel-a to prod: the release that passed on org\/p\/test is rel-b/);
    assert.match(decision.message, /pulumi up --stack test/);
  });
});

describe("Vercel variable targets", () => {
  const cases: { tier: "test" | "prod"; sensitive: boolean; expect: string[] }[] = [
    { tier: "test", sensitive: false, expect: ["preview", "development"] },
    { tier: "test", sensitive: true, expect: ["preview"] },
    { tier: "prod", sensitive: false, expect: ["production"] },
    { tier: "prod", sensitive: true, expect: ["production"] },
  ];
  for (const c of cases) {
    it(`${c.tier}, ${c.sensitive ? "secret" : "public"} value → ${c.expect.join("+")}`, () => {
      assert.deepStrictEqual(defaultTargets(c.tier, c.sensitive), c.expect);
      for (const t of defaultTargets(c.tier, c.sensitive)) assert.ok(allowedTargets(c.tier).includes(t as never));
    });
  }
  const sensitivity: [object, boolean][] = [
    [{ value: "x" }, false],
    [{ supabase: "url" }, false],
    [{ supabase: "anonKey" }, false],
    [{ supabase: "serviceRoleKey" }, true],
    [{ secret: "stripeKey" }, true],
    [{ generated: "cronSecret" }, true],
  ];
  for (const [source, expected] of sensitivity) {
    it(`${JSON.stringify(source)} is ${expected ? "sensitive" : "public"}`, () => assert.strictEqual(isSensitive(source), expected));
  }
  it("names each variable by project, key, targets and branch", () => {
    const planned = planVariables(
      { name: "web", adopt: false, framework: "nextjs", previewProtection: "standard_protection_new", variables: [{ key: "API_URL", value: "https://dev.example.com", targets: ["preview"], gitBranch: "dev" }, { key: "A", value: "1", targets: ["development", "preview"] }] },
      "test",
    );
    assert.deepStrictEqual(planned.map((p) => [p.name, p.targets, p.gitBranch]), [
      ["web-API_URL-preview-dev", ["preview"], "dev"],
      ["web-A-preview+development", ["preview", "development"], undefined],
    ]);
  });
});

describe("the branches of a non-prod writing environment", () => {
  const cases: { configured: string[]; productionBranch: string; branches: string[]; policies: [string, string][] }[] = [
    { configured: [], productionBranch: "main", branches: ["main"], policies: [["deploy-policy", "main"]] },
    { configured: [], productionBranch: "trunk", branches: ["trunk"], policies: [["deploy-policy", "trunk"]] },
    { configured: ["staging"], productionBranch: "main", branches: ["staging"], policies: [["deploy-policy-staging", "staging"]] },
    { configured: ["main", "dev"], productionBranch: "main", branches: ["main", "dev"], policies: [["deploy-policy", "main"], ["deploy-policy-dev", "dev"]] },
    { configured: ["release/2026.1"], productionBranch: "main", branches: ["release/2026.1"], policies: [["deploy-policy-release_2026.1", "release/2026.1"]] },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.configured)} with production branch ${c.productionBranch} → ${c.policies.map((p) => p[0]).join(", ")}`, () => {
      const branches = writingEnvironmentBranches({ environmentDeploymentBranches: c.configured, productionBranch: c.productionBranch });
      assert.deepStrictEqual(branches, c.branches);
      assert.deepStrictEqual(deploymentPolicyPlan(branches, c.productionBranch).map((p) => [p.role, p.branchPattern]), c.policies);
    });
  }
});

describe("the framework a project shell sends", () => {
  const cases: [string, string | undefined][] = [
    ["nextjs", "nextjs"],
    ["vite", "vite"],
    ["other", undefined],
  ];
  for (const [configured, sent] of cases) {
    it(`framework ${JSON.stringify(configured)} → ${sent === undefined ? "no framework input" : JSON.stringify(sent)}`, () => assert.strictEqual(frameworkInput(configured), sent));
  }
});

describe("release command lines", () => {
  it("deploys one function with its own flags and quotes every argument", () => {
    assert.strictEqual(
      functionDeployScript({ name: "stripe-webhook", projectRef: "abcdefghijklmnopqrst", verifyJwt: false, supabaseDir: "supabase" }),
      "set -eu\n./node_modules/.bin/supabase functions deploy 'stripe-webhook' '--remote=abcdefghijklmnopqrst' '--use-api' '--yes' '--workdir' '.' '--no-verify-jwt'",
    );
  });
  it("passes function secrets through a private env file, not arguments", () => {
    const script = functionSecretsScript({ names: ["CRON_SECRET"], projectRef: "abcdefghijklmnopqrst", supabaseDir: "apps/db/supabase" });
    assert.match(script, /umask 077/);
    assert.match(script, /printf '%s=%s\\n' CRON_SECRET "\$DG_SECRET_CRON_SECRET" >> "\$envfile"/);
    assert.match(script, /secrets set '--remote=abcdefghijklmnopqrst' --yes --env-file "\$envfile" --workdir 'apps\/db'/);
  });
  it("finds the Supabase CLI workdir from the supabase folder", () => {
    assert.strictEqual(supabaseWorkdir("supabase"), ".");
    assert.strictEqual(supabaseWorkdir("apps/db/supabase"), "apps/db");
  });
  it("checks the marker table and column it was given and compares with the expected environment", () => {
    const script = markerCheckScript("public.bk_env_marker", "env");
    assert.match(script, /-c "select coalesce\(string_agg\(\\"env\\"::text, ','\), ''\) from public\.bk_env_marker"/);
    assert.match(script, /\[ "\$found" != "\$EXPECTED_ENVIRONMENT" \]/);
  });
  const unsafeNames: [string, string][] = [
    ["public.m; drop table x", "environment"],
    ["public.deploy_env_marker", "env\" || true"],
    ["public.deploy_env_marker", "$(id)"],
  ];
  for (const [table, column] of unsafeNames) {
    it(`refuses to put ${JSON.stringify(`${table}.${column}`)} into the marker check`, () => assert.throws(() => markerCheckScript(table, column), /is not a plain SQL identifier/));
  }
  it("refuses in the gate when the ids differ or nothing was tested", () => {
    assert.match(releaseGateScript("org/p/test"), /if \[ -z "\$TESTED_RELEASE_ID" \] \|\| \[ "\$RELEASE_ID" != "\$TESTED_RELEASE_ID" \]; then/);
  });
});

describe("the release gate script in a real shell", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require("child_process") as typeof import("child_process");
  const run = (env: Record<string, string>) => spawnSync("/bin/sh", ["-c", releaseGateScript("org/p/test")], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
  const cases = [
    { release: "rel-a", tested: "rel-a", status: 0 },
    { release: "rel-a", tested: "rel-b", status: 1 },
    { release: "rel-a", tested: "", status: 1 },
  ];
  for (const c of cases) {
    it(`exits ${c.status} for ${c.release} with ${JSON.stringify(c.tested)} tested`, () => {
      const result = run({ RELEASE_ID: c.release, TESTED_RELEASE_ID: c.tested });
      assert.strictEqual(result.status, c.status, result.stderr);
      if (c.status !== 0) assert.match(result.stderr, /refusing to release rel-a to prod/);
    });
  }
});

describe("the marker check script in a real shell, with a stand-in psql", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require("child_process") as typeof import("child_process");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require("os") as typeof import("os");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  let bin: string;
  before(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), "dg-psql-"));
    // Prints the marker the test planted and records the SQL it was asked to run.
    fs.writeFileSync(path.join(bin, "psql"), '#!/bin/sh\nfor a in "$@"; do last=$a; done\nprintf %s "$last" > "$SQL_LOG"\n[ -n "${MARKER+x}" ] || exit 2\nprintf "%s\\n" "$MARKER"\n', { mode: 0o755 });
  });
  after(() => fs.rmSync(bin, { recursive: true, force: true }));
  const run = (env: Record<string, string>) => {
    const log = path.join(bin, "sql.log");
    const result = spawnSync("/bin/sh", ["-c", markerCheckScript("public.bk_env_marker", "env")], {
      env: { PATH: `${bin}:${process.env.PATH ?? ""}`, DATABASE_URL: "postgresql://x@localhost/db", SQL_LOG: log, ...env },
      encoding: "utf8",
    });
    return { ...result, sql: fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "" };
  };
  const cases: { marker?: string; expected: string; status: number; stderr?: RegExp }[] = [
    { marker: "dev", expected: "dev", status: 0 },
    { marker: "prod", expected: "dev", status: 1, stderr: /marker public\.bk_env_marker\.env says 'prod', but this stack releases to 'dev'/ },
    { marker: "dev,prod", expected: "dev", status: 1, stderr: /says 'dev,prod'/ },
    { marker: "", expected: "dev", status: 1, stderr: /says ''/ },
    { marker: undefined, expected: "dev", status: 1, stderr: /cannot read the environment marker public\.bk_env_marker\.env/ },
  ];
  for (const c of cases) {
    it(`exits ${c.status} when the marker says ${JSON.stringify(c.marker ?? "(no table)")} and ${c.expected} is expected`, () => {
      const result = run({ EXPECTED_ENVIRONMENT: c.expected, ...(c.marker === undefined ? {} : { MARKER: c.marker }) });
      assert.strictEqual(result.status, c.status, result.stderr);
      assert.strictEqual(result.sql, `select coalesce(string_agg("env"::text, ','), '') from public.bk_env_marker`);
      if (c.stderr) assert.match(result.stderr, c.stderr);
    });
  }
});

describe(".env.local", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderEnvLocal } = require("../../lib/env-local") as typeof import("../../lib/env-local");
  const test = { "deploy-guardrails:tier": "test", "deploy-guardrails:supabaseProjectRef": "testrefaaaaaaaaaaaaa", "deploy-guardrails:prodProjectRef": "prodrefbbbbbbbbbbbbb", "deploy-guardrails:supabaseAnonKey": "sb_publishable_x" };
  it("writes the test URL and anon key", () => {
    assert.strictEqual(renderEnvLocal("test", test).split("\n").slice(1, 3).join("\n"), "NEXT_PUBLIC_SUPABASE_URL=https://testrefaaaaaaaaaaaaa.supabase.co\nNEXT_PUBLIC_SUPABASE_ANON_KEY=sb_publishable_x");
  });
  const refusals: [string, Record<string, string>, RegExp][] = [
    ["prod", { ...test, "deploy-guardrails:tier": "prod" }, /Refusing to write .env.local from stack "prod"/],
    ["test", { ...test, "deploy-guardrails:tier": "prod" }, /tier prod/],
    ["test", { ...test, "deploy-guardrails:supabaseProjectRef": "prodrefbbbbbbbbbbbbb" }, /names the prod project/],
    ["test", { ...test, "deploy-guardrails:supabaseAnonKey": "" }, /supabaseAnonKey is not set/],
  ];
  for (const [stack, config, message] of refusals) {
    it(`refuses ${message.source}`, () => assert.throws(() => renderEnvLocal(stack, config), message));
  }
});

describe("PlainRunError", () => {
  it("is a RunError (Pulumi prints the message alone) and carries no stack for the SDK to format", () => {
    const error = new PlainRunError("Refusing to release");
    assert.ok(pulumi.RunError.isInstance(error));
    assert.strictEqual(error.message, "Refusing to release");
    assert.strictEqual(error.stack, "");
  });
});
