import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlainRunError } from "../../config/errors";
import {
  authorityOwners,
  codeownersProblems,
  guardedPatterns,
  ownersOf,
  parseCodeowners,
  patternCovers,
  probePaths,
  renderCodeowners,
} from "../../lib/github-codeowners";
import { assertCodeowners, readCodeownersTree, repositoryRootOf } from "../../io/github-tree";
import { codeownersTarget, releaseBranchGaps } from "../../scripts/codeowners";
import { examplesDir, runProgram, stackConfig } from "./harness";

const root = path.join(__dirname, "..", "..");
const owners = ["@release-captain"];
const patterns = guardedPatterns({ supabaseDir: "supabase" });
const generated = renderCodeowners("", owners, patterns, "Pulumi.prod.yaml");
const problemsOf = (text: string | undefined, files: string[] = []) =>
  codeownersProblems({ location: text === undefined ? undefined : ".github/CODEOWNERS", text, patterns, existingFiles: files, owners });

describe("CODEOWNERS patterns, as GitHub documents them", () => {
  const cases: [pattern: string, file: string, covers: boolean][] = [
    ["*", "any/where/file.ts", true],
    ["*.js", "src/app.js", true],
    ["*.js", "src/app.ts", false],
    ["/build/logs/", "build/logs/a/b.log", true],
    ["/build/logs/", "x/build/logs/a.log", false],
    ["docs/*", "docs/getting-started.md", true],
    ["docs/*", "docs/build-app/troubleshooting.md", false],
    ["apps/", "deep/apps/x.ts", true],
    ["/apps/github", "apps/github/x.ts", true],
    ["**/logs", "deeply/nested/logs/x.log", true],
    ["/Pulumi*.yaml", "Pulumi.prod.yaml", true],
    ["/Pulumi*.yaml", "sub/Pulumi.prod.yaml", false],
    ["/.github/", ".github/workflows/release.yml", true],
    ["/policy/", "policy.config.json", false],
  ];
  for (const [pattern, file, covers] of cases)
    it(`${pattern} ${covers ? "covers" : "does not cover"} ${file}`, () => assert.strictEqual(patternCovers(pattern, file), covers));

  it("the last matching rule wins, and a rule without owners clears ownership", () => {
    const { rules } = parseCodeowners("* @a\n/apps/ @b\n/apps/github\n");
    assert.deepStrictEqual([ownersOf(rules, "README.md"), ownersOf(rules, "apps/x.ts"), ownersOf(rules, "apps/github/x.ts")], [["@a"], ["@b"], []]);
  });
});

describe("the CODEOWNERS check", () => {
  it("accepts the generated block", () => assert.deepStrictEqual(problemsOf(generated), []));

  it("refuses a repository without CODEOWNERS", () =>
    assert.match(problemsOf(undefined).join("\n"), /There is no CODEOWNERS file \(looked for \.github\/CODEOWNERS, CODEOWNERS, docs\/CODEOWNERS\)/));

  // A pull request (an agent's, say) edits CODEOWNERS; each edit must fail the prod stack's check.
  const attacks: [string, string, RegExp][] = [
    [
      "an agent as a second owner of the workflows",
      generated.replace("/.github/ @release-captain", "/.github/ @release-captain @codex-agent"),
      /\.github\/codeowners-probe\.ts.* is owned by @codex-agent, who is not the release authority/,
    ],
    ["a later catch-all rule for the agent", `${generated}* @codex-agent\n`, /is owned by @codex-agent/],
    ["a later rule that clears the policy pack's owner", `${generated}/policy/\n`, /policy\/codeowners-probe\.ts.* is left without owner by a rule with none/],
    [
      "a rule for today's files only (a new component is unowned)",
      generated.replace("/components/ @release-captain", "/components/githubGuardrails.ts @release-captain"),
      /components\/codeowners-probe\.ts, components\/codeowners-probe\/nested\/codeowners-probe\.yml has no owner/,
    ],
    [
      "a one-level wildcard, which GitHub does not apply to nested files",
      generated.replace("/lib/ @release-captain", "/lib/* @release-captain"),
      /lib\/codeowners-probe\/nested\/codeowners-probe\.yml has no owner/,
    ],
    [
      "a later gitignore negation, which CODEOWNERS does not support",
      `${generated}!/policy/\n`,
      /line \d+: "!\/policy\/" uses a gitignore feature CODEOWNERS does not support/,
    ],
    ["an inline comment", generated.replace("/index.ts @release-captain", "/index.ts @release-captain # mine"), /inline comments are not supported/],
    [
      "a rule for a folder that does not exist yet (an action the next pull request adds)",
      `${generated}/.github/actions/ @codex-agent\n`,
      /\.github\/actions\/codeowners-probe\.ts is owned by @codex-agent/,
    ],
    ["a floating ** rule", `${generated}**/evil/** @codex-agent\n`, /components\/evil\/codeowners-probe.* is owned by @codex-agent/],
    ["an owner by e-mail", generated.replace("/index.ts @release-captain", "/index.ts captain@example.com"), /index\.ts is owned by captain@example\.com/],
  ];
  for (const [name, text, pattern] of attacks) it(`refuses ${name}`, () => assert.match(problemsOf(text).join("\n"), pattern));

  it("probes every existing guarded file and made-up new ones", () => {
    const probes = probePaths(["/.github/", "/Pulumi*.yaml", "/index.ts"], [".github/workflows/release.yml", "Pulumi.prod.yaml", "README.md"]);
    assert.deepStrictEqual(probes, [
      ".github/codeowners-probe.ts",
      ".github/codeowners-probe/nested/codeowners-probe.yml",
      ".github/workflows/release.yml",
      "Pulumi.prod.yaml",
      "Pulumicodeowners-probe.yaml",
      "index.ts",
    ]);
  });

  it("guards the folder the stack's migrations and functions live in, and prefixes a program in a subfolder", () => {
    assert.ok(guardedPatterns({ supabaseDir: "db" }).includes("/db/"));
    const nested = guardedPatterns({ supabaseDir: "supabase", projectPrefix: "infra" });
    assert.deepStrictEqual(nested.slice(0, 3), ["/.github/", "/.ci/", "/infra/policy/"]);
    assert.ok(nested.includes("/infra/Pulumi*.yaml"));
  });

  it("renders idempotently, keeping the lines outside its block and putting the block last", () => {
    const mine = "# team rules\n/docs/ @docs-team\n";
    const once = renderCodeowners(mine, owners, patterns, "Pulumi.prod.yaml");
    assert.ok(once.startsWith(mine));
    assert.strictEqual(renderCodeowners(once, owners, patterns, "Pulumi.prod.yaml"), once);
    assert.strictEqual(renderCodeowners(once, ["@new-captain"], patterns, "Pulumi.prod.yaml").match(/@release-captain/g), null);
  });
});

describe("the committed CODEOWNERS files", () => {
  it("root: what `npm run codeowners` writes from Pulumi.prod.yaml, and it passes the check", () => {
    const target = codeownersTarget(root, "prod", root);
    assert.strictEqual(target.current, target.expected, "run `npm run codeowners` and commit .github/CODEOWNERS");
    assert.deepStrictEqual(target.problems, []);
  });
  it("root: an agent's pull request cannot change the shared rules, the I/O modules or the workflow rules without the release authority", () => {
    const { rules } = parseCodeowners(fs.readFileSync(path.join(root, ".github", "CODEOWNERS"), "utf8"));
    const authority = ownersOf(rules, "index.ts");
    assert.ok(authority && authority.length > 0, "index.ts has no owner");
    for (const file of ["contracts/prod-identity.ts", "io/prepare-release.ts", "workflow-rules/rules/production-live-only-through-release.ts"])
      assert.deepStrictEqual(ownersOf(rules, file), authority, `${file} is not owned by the release authority`);
  });
  for (const example of fs.readdirSync(examplesDir)) {
    it(`${example}: generated from its prod stack`, () => {
      const dir = path.join(examplesDir, example);
      const target = codeownersTarget(dir, "prod", dir);
      assert.strictEqual(target.current, target.expected, `run \`npm run codeowners -- --dir examples/${example} --repository-root examples/${example}\``);
      assert.deepStrictEqual(target.problems, []);
    });
  }
});

describe("npm run codeowners", () => {
  it("refuses a flag it does not know (a misspelt --check) before writing anything", function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "codeowners-cli-"));
    for (const f of ["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.test.yaml"]) fs.copyFileSync(path.join(root, f), path.join(dir, f));
    const run = spawnSync(
      process.execPath,
      [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(root, "scripts", "codeowners.ts"), "--chek", "--dir", dir, "--repository-root", dir],
      {
        encoding: "utf8",
      },
    );
    assert.notStrictEqual(run.status, 0);
    assert.match(run.stderr, /Unknown option '--chek'/);
    assert.match(run.stderr, /usage: npm run codeowners/);
    assert.ok(!fs.existsSync(path.join(dir, ".github", "CODEOWNERS")), "a misspelt flag wrote the file");
  });
});

describe("the committed stack files: every branch a stack releases from is protected by prod (issue 12 point 11)", () => {
  for (const dir of [root, ...fs.readdirSync(examplesDir).map((e) => path.join(examplesDir, e))]) {
    it(`${path.relative(root, dir) || "root"}: no stack releases from an unprotected branch`, () => assert.deepStrictEqual(releaseBranchGaps(dir), []));
  }
  it("001-mano without releaseBranches in prod: staging is reported", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-branches-"));
    for (const f of fs.readdirSync(path.join(examplesDir, "001-mano")).filter((f) => f.endsWith(".yaml"))) {
      const text = fs.readFileSync(path.join(examplesDir, "001-mano", f), "utf8");
      fs.writeFileSync(
        path.join(dir, f),
        f === "Pulumi.prod.yaml"
          ? text
              .replace(/ {2}deploy-guardrails:releaseBranches: \[staging\]\n/, "")
              .replace(/ {2}deploy-guardrails:releaseBranchStatusChecks:\n( {4}.*\n)+/, "")
          : text,
      );
    }
    assert.deepStrictEqual(releaseBranchGaps(dir), [
      "Pulumi.staging.yaml releases from staging (environmentDeploymentBranches), which Pulumi.prod.yaml does not protect: add it to deploy-guardrails:releaseBranches there",
    ]);
  });
});

describe("the prod stack refuses to run with a CODEOWNERS that does not protect the guarded paths", () => {
  const github = { owner: "acme", releaseAuthority: [{ login: "release-captain", id: 100001 }], releaseAuthorityTeams: [], acknowledgedGaps: [] };
  const project = (codeowners?: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "codeowners-"));
    fs.mkdirSync(path.join(dir, ".git"));
    fs.mkdirSync(path.join(dir, "components"));
    fs.writeFileSync(path.join(dir, "components", "x.ts"), "");
    if (codeowners !== undefined) {
      fs.mkdirSync(path.join(dir, ".github"));
      fs.writeFileSync(path.join(dir, ".github", "CODEOWNERS"), codeowners);
    }
    return dir;
  };
  const assertRefused = (dir: string, pattern: RegExp) =>
    assert.throws(
      () => assertCodeowners(github as never, "supabase", dir),
      (e: Error) => e instanceof PlainRunError && /does not give them to it/.test(e.message) && pattern.test(e.message),
    );

  it("refuses a missing file, and a file naming an agent", () => {
    assertRefused(project(), /There is no CODEOWNERS file/);
    assertRefused(
      project(generated.replace("/components/ @release-captain", "/components/ @codex-agent")),
      /components\/codeowners-probe\.ts, components\/codeowners-probe\/nested\/codeowners-probe\.yml, components\/x\.ts is owned by @codex-agent/,
    );
  });
  it("accepts the generated file, or no check when code-owner review is an acknowledged gap", () => {
    assertCodeowners(github as never, "supabase", project(generated));
    assertCodeowners({ ...github, acknowledgedGaps: [{ setting: "codeOwnerReview", reason: "x" }] } as never, "supabase", project());
  });
  it("finds the repository root above a program in a subfolder and reads CODEOWNERS there", () => {
    const dir = project(renderCodeowners("", owners, guardedPatterns({ supabaseDir: "supabase", projectPrefix: "infra" }), "infra/Pulumi.prod.yaml"));
    fs.mkdirSync(path.join(dir, "infra"));
    assert.strictEqual(repositoryRootOf(path.join(dir, "infra")), dir);
    assert.strictEqual(readCodeownersTree(github as never, "supabase", path.join(dir, "infra")).location, ".github/CODEOWNERS");
    assertCodeowners(github as never, "supabase", path.join(dir, "infra"));
  });
  it("the program itself: the committed prod stack with an agent in CODEOWNERS registers nothing", async () => {
    const file = path.join(root, ".github", "CODEOWNERS");
    const committed = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${committed}/policy/ @codex-agent\n`);
    try {
      await assert.rejects(runProgram("prod", stackConfig("prod")), /policy\/.* is owned by @codex-agent, who is not the release authority/);
    } finally {
      fs.writeFileSync(file, committed);
    }
  });
  it("names the owners the stack asks for", () =>
    assert.deepStrictEqual(authorityOwners({ owner: "acme", releaseAuthority: [{ login: "a", id: 1 }], releaseAuthorityTeams: [{ slug: "rm", id: 2 }] }), [
      "@a",
      "@acme/rm",
    ]));
});
