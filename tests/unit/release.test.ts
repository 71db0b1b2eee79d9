import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  functionDeployScript,
  functionSecretsScript,
  integrationTestScript,
  markerCheckScript,
  migrationCheckSql,
  releaseGateScript,
  releaseRecordScript,
  supabaseWorkdir,
  withCleanEnvironment,
} from "../../lib/commands";
import { readReleaseContents } from "../../io/release-contents";
import {
  compareVersions,
  evidenceOf,
  expectedEvidence,
  formatLedger,
  parseLedger,
  recordLine,
  recordedRelease,
  recordsOf,
  unionLedgers,
} from "../../lib/release-evidence";
import { relativeSpecifiers } from "../../io/release-files";
import { decideRelease, ReleaseGateInput } from "../../lib/release-gate";
import { ReleaseParts, hashEntries, migrationManifest, normalisedDigest, partsDifference, releaseIdOf } from "../../lib/release-identity";
import { describeRelease, summarizeRelease } from "../../lib/release-plan";

const file = (p: string, content: string) => ({ path: p, content: Buffer.from(content) });
const parts: ReleaseParts = {
  files: "f",
  imports: "i",
  functions: [{ name: "hello", verifyJwt: true, digest: "d1" }],
  functionSecretNames: ["CRON_SECRET"],
  migrationCommand: "db push",
};

describe("release identity", () => {
  const hashes: { name: string; a: ReturnType<typeof file>[]; b: ReturnType<typeof file>[]; same: boolean }[] = [
    { name: "the same files listed in another order", a: [file("1.sql", "a"), file("2.sql", "b")], b: [file("2.sql", "b"), file("1.sql", "a")], same: true },
    { name: "one changed byte", a: [file("1.sql", "a")], b: [file("1.sql", "b")], same: false },
    { name: "a renamed file", a: [file("1.sql", "a")], b: [file("2.sql", "a")], same: false },
    { name: "an added file", a: [file("1.sql", "a")], b: [file("1.sql", "a"), file("2.sql", "")], same: false },
    { name: "content moved across the name boundary", a: [file("ab", "c")], b: [file("a", "bc")], same: false },
  ];
  for (const c of hashes)
    it(`${c.same ? "keeps" : "changes"} the files hash for ${c.name}`, () => assert.strictEqual(hashEntries(c.a) === hashEntries(c.b), c.same));

  const changes: [string, Partial<ReleaseParts>, string][] = [
    ["a file under supabaseDir", { files: "f2" }, "the files under supabase/"],
    ["a file a function imports from outside supabaseDir", { imports: "i2" }, "files outside supabase/"],
    ["a function's code", { functions: [{ name: "hello", verifyJwt: true, digest: "d2" }] }, ""],
    ["verifyJwt of a function", { functions: [{ name: "hello", verifyJwt: false, digest: "d1" }] }, 'edgeFunctions: verifyJwt of "hello"'],
    ["the function list", { functions: [] }, 'edgeFunctions: "hello" is listed'],
    ["the function secret names", { functionSecretNames: ["CRON_SECRET", "STRIPE_KEY"] }, "functionSecrets"],
    ["the migration command", { migrationCommand: "db push --include-all" }, "migrationCommand"],
  ];
  for (const [what, change, named] of changes) {
    it(`a change to ${what} is a new release${named ? `, named "${named}"` : ""}`, () => {
      const other = { ...parts, ...change };
      assert.notStrictEqual(releaseIdOf(other), releaseIdOf(parts));
      if (named)
        assert.ok(
          partsDifference(other, parts, "supabase").some((d) => d.includes(named)),
          partsDifference(other, parts, "supabase").join("; "),
        );
    });
  }
  it("does not depend on the order of functions or secret names", () => {
    const two = { ...parts, functions: [...parts.functions, { name: "a", verifyJwt: false, digest: "x" }], functionSecretNames: ["B", "A"] };
    assert.strictEqual(releaseIdOf(two), releaseIdOf({ ...two, functions: [...two.functions].reverse(), functionSecretNames: ["A", "B"] }));
    assert.match(releaseIdOf(parts), /^rel-[0-9a-f]{24}$/);
  });
});

describe("migration manifest", () => {
  it("reads version, name and digests, in version order", () => {
    const { migrations, problems } = migrationManifest([file("20260102000000_b.sql", "b"), file("20260101000000_a.sql", "a")], "supabase/migrations");
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(
      migrations.map((m) => [m.version, m.name]),
      [
        ["20260101000000", "a"],
        ["20260102000000", "b"],
      ],
    );
    assert.match(migrations[0].digest, /^[0-9a-f]{16}$/);
  });
  const refused: [string, RegExp][] = [
    ["notes.sql", /not named <version>_<name>\.sql/],
    ["20260101000000_with space.sql", /not named/],
    ["20260101000000_a.SQL", /not named/],
    ["old/20260101000000_a.sql", /not named/],
    ["README.md", /not named/],
  ];
  for (const [name, message] of refused)
    it(`refuses ${name}, which the CLI would skip`, () => assert.match(migrationManifest([file(name, "x")], "m").problems.join("\n"), message));
  it("refuses two files with one version", () => {
    assert.match(migrationManifest([file("1_a.sql", "x"), file("1_b.sql", "y")], "m").problems.join("\n"), /share the version 1/);
  });
  it("normalises what the CLI drops: whitespace, semicolons and a byte-order mark, nothing else", () => {
    assert.strictEqual(normalisedDigest("create table a (id int);\r\n"), normalisedDigest("\ufeffcreate  table a(id int)"));
    assert.notStrictEqual(normalisedDigest("insert into a values ('x')"), normalisedDigest("insert into a values ('y')"));
  });
});

describe("release contents read from disk", () => {
  let dir: string;
  const write = (p: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  };
  const read = () =>
    readReleaseContents(dir, {
      supabaseDir: "supabase",
      functions: [
        { name: "hello", verifyJwt: true },
        { name: "other", verifyJwt: true },
      ],
      functionSecretNames: [],
      migrationCommand: "db push",
    });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-release-"));
    write("supabase/migrations/20260101000000_a.sql", "create table a (id int);");
    write("supabase/functions/hello/index.ts", 'import { x } from "../../../lib/shared.ts";\nDeno.serve(() => new Response(x));');
    write("supabase/functions/other/index.ts", "Deno.serve(() => new Response('o'));");
    write("lib/shared.ts", 'export { y as x } from "./deeper.ts";');
    write("lib/deeper.ts", "export const y = 'one';");
    write("supabase/.temp/cli-latest", "v3");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("follows imports outside supabaseDir transitively, into the importing function's digest only", () => {
    const before = read();
    assert.deepStrictEqual(before.problems, []);
    write("lib/deeper.ts", "export const y = 'two';");
    const after = read();
    assert.notStrictEqual(after.releaseId, before.releaseId);
    assert.notStrictEqual(after.functions[0].digest, before.functions[0].digest);
    assert.strictEqual(after.functions[1].digest, before.functions[1].digest);
  });
  it("counts config.toml and every other file under supabaseDir, but not the CLI's own .temp folder", () => {
    const before = read();
    write("supabase/.temp/cli-latest", "v4");
    assert.strictEqual(read().releaseId, before.releaseId);
    write("supabase/config.toml", 'project_id = "x"');
    assert.notStrictEqual(read().releaseId, before.releaseId);
  });
  const links: [string, string][] = [
    ["a migration", "supabase/migrations/20260102000000_link.sql"],
    ["a function file", "supabase/functions/hello/extra.ts"],
  ];
  for (const [what, link] of links) {
    it(`refuses ${what} that is a symbolic link, naming it`, () => {
      write("elsewhere.sql", "create table b (id int);");
      fs.symlinkSync(path.join(dir, "elsewhere.sql"), path.join(dir, link));
      assert.match(read().problems.join("\n"), new RegExp(`${link.replace(/[./]/g, "\\$&")} is a symbolic link`));
    });
  }
  it("refuses an imported file outside supabaseDir that is a symbolic link", () => {
    fs.unlinkSync(path.join(dir, "lib/deeper.ts"));
    write("target.ts", "export const y = 1;");
    fs.symlinkSync(path.join(dir, "target.ts"), path.join(dir, "lib/deeper.ts"));
    assert.match(read().problems.join("\n"), /lib\/deeper\.ts, imported by lib\/shared\.ts, is a symbolic link/);
  });
  it("refuses an import from outside the project", () => {
    write("supabase/functions/hello/index.ts", 'import "../../../../etc/passwd.ts";');
    assert.match(read().problems.join("\n"), /outside the project/);
  });
  it("refuses a listed function without files", () => {
    fs.rmSync(path.join(dir, "supabase/functions/other"), { recursive: true });
    assert.match(read().problems.join("\n"), /edgeFunctions lists "other"/);
  });
  it("finds relative specifiers in imports, re-exports, dynamic imports and Deno import maps", () => {
    assert.deepStrictEqual(
      relativeSpecifiers("a.ts", 'import a from "./a.ts";\nexport * from \'../b.ts\';\nconst c = await import("./c.ts");\nimport "npm:zod";\nimport "./d.ts";'),
      ["./a.ts", "../b.ts", "./c.ts", "./d.ts"],
    );
    assert.deepStrictEqual(relativeSpecifiers("deno.json", '{"imports": {"@lib/": "../../lib/", "zod": "npm:zod"}}'), ["../../lib/"]);
  });
});

describe("the release decision on prod", () => {
  const base: ReleaseGateInput = { releaseId: "rel-aaaaaaaaaaaaaaaaaaaaaaaa", parts, tested: {}, gateStack: "org/p/test", supabaseDir: "supabase" };
  const placeholder = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  const cases: { name: string; input: Partial<ReleaseGateInput>; expect: string; message?: RegExp }[] = [
    { name: "nothing passed yet", input: {}, expect: "nothing" },
    { name: '"nothing" passed', input: { tested: { id: "nothing" } }, expect: "nothing" },
    { name: "the engine's unknown placeholder, before prod ever released", input: { tested: { id: placeholder } }, expect: "nothing" },
    {
      name: "the engine's unknown placeholder, after prod released",
      input: { tested: { id: placeholder }, previouslyReleased: "rel-bbbbbbbbbbbbbbbbbbbbbbbb" },
      expect: "refuse",
      message: /not a release id/,
    },
    {
      name: "nothing passed, after prod released (test stack reset)",
      input: { previouslyReleased: "rel-bbbbbbbbbbbbbbbbbbbbbbbb" },
      expect: "refuse",
      message: /prod already released rel-b/,
    },
    { name: "a number", input: { tested: { id: 42 } }, expect: "nothing" },
    { name: "the same release", input: { tested: { id: "rel-aaaaaaaaaaaaaaaaaaaaaaaa" } }, expect: "release" },
    { name: "the same release with spaces", input: { tested: { id: " rel-aaaaaaaaaaaaaaaaaaaaaaaa " } }, expect: "release" },
    {
      name: "another release",
      input: { tested: { id: "rel-cccccccccccccccccccccccc" } },
      expect: "refuse",
      message: /Refusing to release rel-a+ to prod: the release that passed on org\/p\/test is rel-c+/,
    },
    {
      name: "another release whose parts differ in migrationCommand",
      input: { tested: { id: "rel-cccccccccccccccccccccccc", parts: { ...parts, migrationCommand: "other" } } },
      expect: "refuse",
      message: /differs from it in: migrationCommand/,
    },
    { name: "break-glass, whatever passed", input: { tested: { id: "rel-cccccccccccccccccccccccc" }, breakGlass: "rotate key" }, expect: "break-glass" },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.expect}`, () => {
      const decision = decideRelease({ ...base, ...c.input });
      assert.strictEqual(decision.kind, c.expect);
      if (c.message) assert.match(decision.kind === "refuse" ? decision.message : "", c.message);
    });
  }
});

describe("release records, evidence and the ledger", () => {
  it("reads the last record of each kind, and only release ids as passed or released", () => {
    const out = [recordLine("passed", "rel-aaaaaaaaaaaaaaaaaaaaaaaa"), "noise", recordLine("passed", "rel-bbbbbbbbbbbbbbbbbbbbbbbb")].join("\n");
    assert.strictEqual(recordedRelease(out, "passed"), "rel-bbbbbbbbbbbbbbbbbbbbbbbb");
    assert.strictEqual(recordedRelease(recordLine("passed", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"), "passed"), undefined);
    assert.strictEqual(recordedRelease(undefined, "released"), undefined);
    assert.strictEqual(recordsOf([recordLine("function", "a", "d1"), recordLine("function", "b", "d2")].join("\n")).get("function b"), "d2");
  });
  it("expects one record per step of this release, which the steps' records then match", () => {
    const functions = [
      { name: "b", verifyJwt: false, digest: "2" },
      { name: "a", verifyJwt: true, digest: "1" },
    ];
    const expected = expectedEvidence({ markerValue: "test", releaseId: "rel-x", migrationsDigest: "m", functions, secretNamesDigest: "s" });
    assert.deepStrictEqual(expected, [
      `${recordLine("marker", "test", "rel-x")}`,
      `${recordLine("migrations", "m")}`,
      `${recordLine("function", "a", "1", "verifyJwt=true")}`,
      `${recordLine("function", "b", "2", "verifyJwt=false")}`,
      `${recordLine("secrets", "s")}`,
    ]);
    assert.deepStrictEqual(evidenceOf([recordLine("migrations", "m"), recordLine("ledger", "1:aaaaaaaaaaaaaaaa"), "tool output"].join("\n")), [
      recordLine("migrations", "m"),
    ]);
  });
  it("keeps a ledger of versions and digests in numeric version order, the first digest winning on merge", () => {
    const ledger = unionLedgers(parseLedger("10:aaaaaaaaaaaaaaaa,9:bbbbbbbbbbbbbbbb,garbage"), parseLedger("9:cccccccccccccccc,11:dddddddddddddddd"));
    assert.strictEqual(formatLedger(ledger), "9:bbbbbbbbbbbbbbbb,10:aaaaaaaaaaaaaaaa,11:dddddddddddddddd");
    assert.ok(compareVersions("9", "10") < 0 && compareVersions("20260101", "20260101") === 0);
  });
  it("summarises what a release applies and deploys, for the preview and the release authority", () => {
    const { migrations } = migrationManifest([file("1_a.sql", "a"), file("2_b.sql", "b"), file("3_c.sql", "c")], "m");
    const summary = summarizeRelease({
      stack: "prod",
      releaseId: "rel-x",
      migrations,
      functions: [
        { name: "hello", verifyJwt: true, digest: "new" },
        { name: "same", verifyJwt: true, digest: "d" },
      ],
      ledger: new Map([
        ["1", migrations[0].digest],
        ["2", "0000000000000000"],
      ]),
      releasedFunctions: { hello: "old", same: "d" },
      decision: { kind: "release", releaseId: "rel-x" },
    });
    assert.deepStrictEqual(describeRelease(summary), [
      "prod releases rel-x.",
      "  migrations to apply (1): 3_c.sql",
      "  released migrations changed since (refused): 2_b.sql",
      "  functions to deploy: hello",
    ]);
    assert.match(describeRelease({ ...summary, decision: { kind: "break-glass", reason: "INC-9" } })[0], /BREAK-GLASS \(INC-9\)/);
  });
});

describe("release scripts in a real shell", () => {
  const sh = (script: string, env: Record<string, string>) =>
    spawnSync("/bin/sh", ["-c", script], { env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...env }, encoding: "utf8" });

  it("a step sees only the inherited variables and its own, so it cannot open the stack", () => {
    const script = withCleanEnvironment("env | sort", ["DATABASE_URL", "PGPASSWORD"]);
    const result = sh(script, {
      DATABASE_URL: "postgresql://u@h/d",
      PGPASSWORD: "p a's$w\"rd`x`",
      PULUMI_CONFIG_PASSPHRASE: "opens-the-stack",
      AWS_SECRET_ACCESS_KEY: "state",
      GITHUB_TOKEN: "ghs_admin",
      PULUMI_ACCESS_TOKEN: "pul-x",
    });
    assert.strictEqual(result.status, 0, result.stderr);
    const names = result.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split("=")[0]);
    assert.deepStrictEqual(names.filter((n) => !["PWD", "SHLVL", "_", "OLDPWD"].includes(n)).sort(), ["DATABASE_URL", "HOME", "PATH", "PGPASSWORD"]);
    assert.match(result.stdout, /^PGPASSWORD=p a's\$w"rd`x`$/m);
  });
  it("refuses a variable name that is not a shell name", () => assert.throws(() => withCleanEnvironment("true", ["A;rm"]), /not a shell name/));

  const evidence = [recordLine("marker", "test", "rel-x"), recordLine("migrations", "m")].join("\n");
  const cases: { name: string; script: string; env: Record<string, string>; status: number; stdout?: RegExp; stderr?: RegExp }[] = [
    {
      name: "tests run and record the release when every step recorded it",
      script: integrationTestScript("echo testing"),
      env: { RELEASE_ID: "rel-x", EXPECTED_EVIDENCE: evidence, RELEASE_EVIDENCE: evidence },
      status: 0,
      stdout: new RegExp(`^${recordLine("passed", "rel-x")}$`),
    },
    {
      name: "tests refuse when a step did not run for this release (a targeted update)",
      script: integrationTestScript("echo testing"),
      env: { RELEASE_ID: "rel-x", EXPECTED_EVIDENCE: evidence, RELEASE_EVIDENCE: recordLine("marker", "test", "rel-x") },
      status: 1,
      stderr: /have not run for it:\n {2}- migrations m\n/,
    },
    {
      name: "tests refuse when no step recorded anything",
      script: integrationTestScript("echo testing"),
      env: { RELEASE_ID: "rel-x", EXPECTED_EVIDENCE: evidence, RELEASE_EVIDENCE: "" },
      status: 1,
      stderr: /marker test rel-x/,
    },
    {
      name: "failing tests record nothing",
      script: integrationTestScript("false"),
      env: { RELEASE_ID: "rel-x", EXPECTED_EVIDENCE: evidence, RELEASE_EVIDENCE: evidence },
      status: 1,
    },
    {
      name: "a test command cannot print a record of its own",
      script: integrationTestScript(`echo "${recordLine("passed", "rel-forged")}"`),
      env: { RELEASE_ID: "rel-x", EXPECTED_EVIDENCE: evidence, RELEASE_EVIDENCE: evidence },
      status: 0,
      stdout: new RegExp(`^${recordLine("passed", "rel-x")}$`),
    },
    {
      name: "prod records the release only when every step recorded it",
      script: releaseRecordScript(),
      env: { RELEASE_ID: "rel-x", EXPECTED_EVIDENCE: evidence, RELEASE_EVIDENCE: evidence },
      status: 0,
      stdout: new RegExp(`^${recordLine("released", "rel-x")}$`),
    },
    {
      name: "prod records nothing after a step that did not run",
      script: releaseRecordScript(),
      env: { RELEASE_ID: "rel-x", EXPECTED_EVIDENCE: evidence, RELEASE_EVIDENCE: recordLine("migrations", "m") },
      status: 1,
      stderr: /marker test rel-x/,
    },
    {
      name: "the gate passes the tested release",
      script: releaseGateScript("org/p/test"),
      env: { RELEASE_ID: "rel-a", TESTED_RELEASE_ID: "rel-a" },
      status: 0,
    },
    {
      name: "the gate refuses another release",
      script: releaseGateScript("org/p/test"),
      env: { RELEASE_ID: "rel-a", TESTED_RELEASE_ID: "rel-b" },
      status: 1,
      stderr: /refusing to release rel-a to prod/,
    },
    {
      name: "the gate refuses when nothing was tested",
      script: releaseGateScript("org/p/test"),
      env: { RELEASE_ID: "rel-a", TESTED_RELEASE_ID: "" },
      status: 1,
      stderr: /refusing to release rel-a to prod/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = sh(c.script, c.env);
      assert.strictEqual(result.status, c.status, result.stderr);
      if (c.stdout) assert.match(result.stdout.trim(), c.stdout);
      if (c.status !== 0) assert.doesNotMatch(result.stdout, /record: (passed|released)/);
      if (c.stderr) assert.match(result.stderr, c.stderr);
    });
  }

  it("deploys one function with its own flags, quoting every argument, and records its digest", () => {
    const script = functionDeployScript({ name: "stripe-webhook", projectRef: "abcdefghijklmnopqrst", verifyJwt: false, supabaseDir: "supabase" });
    assert.match(
      script,
      /\.\/node_modules\/\.bin\/supabase functions deploy 'stripe-webhook' '--remote=abcdefghijklmnopqrst' '--use-api' '--yes' '--workdir' '\.' '--no-verify-jwt' >&2/,
    );
    assert.match(script, /record: function stripe-webhook \$FUNCTION_DIGEST verifyJwt=false"$/);
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
  const unsafe: [string, string][] = [
    ["public.m; drop table x", "environment"],
    ["public.deploy_env_marker", 'env" || true'],
    ["public.deploy_env_marker", "$(id)"],
  ];
  for (const [table, column] of unsafe)
    it(`refuses to put ${JSON.stringify(`${table}.${column}`)} into a script`, () =>
      assert.throws(() => markerCheckScript(table, column), /is not a plain SQL identifier/));
  it("refuses a history table that is not a plain identifier", () =>
    assert.throws(() => migrationCheckSql("x; drop table y"), /is not a plain SQL identifier/));

  describe("the marker check, with a stand-in psql", () => {
    let bin: string;
    before(() => {
      bin = fs.mkdtempSync(path.join(os.tmpdir(), "dg-psql-"));
      // Prints the marker the test planted, or fails the way psql does, and records the SQL it was asked to run.
      fs.writeFileSync(
        path.join(bin, "psql"),
        '#!/bin/sh\nfor a in "$@"; do last=$a; done\nprintf %s "$last" > "$SQL_LOG"\nif [ -n "${PSQL_ERROR+x}" ]; then echo "$PSQL_ERROR" >&2; exit 2; fi\nprintf "%s\\n" "$MARKER"\n',
        { mode: 0o755 },
      );
    });
    after(() => fs.rmSync(bin, { recursive: true, force: true }));
    const markerCases: { marker?: string; error?: string; status: number; stderr?: RegExp; notStderr?: RegExp }[] = [
      { marker: "dev", status: 0 },
      { marker: "prod", status: 1, stderr: /marker public\.bk_env_marker\.env says 'prod', but this stack releases to 'dev'/ },
      { marker: "dev,prod", status: 1, stderr: /says 'dev,prod'/ },
      { marker: "", status: 1, stderr: /says ''/ },
      {
        error: 'psql: error: connection to server at "db", port 5432 failed: FATAL:  password authentication failed for user "postgres"',
        status: 1,
        stderr: /password authentication failed/,
        notStderr: /create table|insert into/,
      },
      {
        error: 'psql: error: connection to server at "db", port 5432 failed: Connection refused',
        status: 1,
        stderr: /Connection refused[\s\S]*Check databaseUrl and supabaseDbPassword/,
        notStderr: /insert into/,
      },
      {
        error: 'ERROR:  relation "public.bk_env_marker" does not exist',
        status: 1,
        stderr:
          /has no environment marker[\s\S]*create table public\.bk_env_marker \(env text primary key\); insert into public\.bk_env_marker \(env\) values \('dev'\)/,
      },
    ];
    for (const c of markerCases) {
      it(`exits ${c.status} when psql ${c.error ? `fails with ${JSON.stringify(c.error.slice(-40))}` : `reads ${JSON.stringify(c.marker)}`}`, () => {
        const log = path.join(bin, "sql.log");
        const result = sh(markerCheckScript("public.bk_env_marker", "env"), {
          PATH: `${bin}:${process.env.PATH ?? ""}`,
          DATABASE_URL: "postgresql://x@localhost/db",
          SQL_LOG: log,
          EXPECTED_ENVIRONMENT: "dev",
          RELEASE_ID: "rel-x",
          ...(c.error ? { PSQL_ERROR: c.error } : { MARKER: c.marker ?? "" }),
        });
        assert.strictEqual(result.status, c.status, result.stderr);
        assert.strictEqual(fs.readFileSync(log, "utf8"), `select coalesce(string_agg("env"::text, ','), '') from public.bk_env_marker`);
        if (c.status === 0) assert.strictEqual(result.stdout.trim(), recordLine("marker", "dev", "rel-x"));
        if (c.stderr) assert.match(result.stderr, c.stderr);
        if (c.notStderr) assert.doesNotMatch(result.stderr, c.notStderr);
      });
    }
  });
});

describe("generated secrets", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { deriveGeneratedSecret } = require("../../lib/generated-secrets") as typeof import("../../lib/generated-secrets");
  const base = { stack: "test", name: "cronSecret", version: 1, length: 48 };
  it("derives the same value from the same seed, stack, name and version, and another from any change", () => {
    const value = deriveGeneratedSecret("seed-0123456789abcdef0123456789abcdef", base);
    assert.match(value, /^[A-Za-z0-9]{48}$/);
    assert.strictEqual(deriveGeneratedSecret("seed-0123456789abcdef0123456789abcdef", base), value);
    for (const change of [{ stack: "prod" }, { name: "webhookSecret" }, { version: 2 }])
      assert.notStrictEqual(deriveGeneratedSecret("seed-0123456789abcdef0123456789abcdef", { ...base, ...change }), value, JSON.stringify(change));
    assert.notStrictEqual(deriveGeneratedSecret("another-seed-0123456789abcdef0123456789", base), value);
    assert.strictEqual(deriveGeneratedSecret("seed-0123456789abcdef0123456789abcdef", { ...base, length: 128 }).length, 128);
  });
  it("uses every letter and digit about equally often", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) for (const c of deriveGeneratedSecret(`seed-${i}`, base)) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.strictEqual(counts.size, 62);
    // 19,200 characters over 62 symbols: about 310 each; a biased mapping would push some far outside this band.
    for (const [c, n] of counts) assert.ok(n > 220 && n < 400, `${c} appeared ${n} times`);
  });
});
