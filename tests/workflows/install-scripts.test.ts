/**
 * Rule install-scripts-off, and the inventory of dependencies with install scripts that `--ignore-scripts` skips:
 * a new one fails here until someone decides whether a job must run it explicitly (docs/pipelines.md, "Install scripts").
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Workflow, installScriptViolations, installsWithScripts } from "../../workflow-rules";
import { BadCase, expectCaught, fixture } from "./fixtures";

const root = path.resolve(__dirname, "..", "..");
const release = () => fixture("release.yml");
const setRun = (w: Workflow, job: string, from: RegExp, to: string) => {
  const step = (w.jobs[job].steps ?? []).find((s) => typeof s.run === "string" && from.test(s.run));
  if (!step) throw new Error(`no step matching ${from} in ${job}`);
  step.run = to;
  return w;
};

const bad: BadCase[] = [
  {
    name: "npm ci in up-test (today's workflows)",
    build: () => setRun(release(), "up-test", /npm ci/, "npm ci"),
    expect: /jobs\.up-test\.steps\[1\] runs `npm ci` without --ignore-scripts in a job that holds secrets \(steps\[2\]\)/,
  },
  {
    name: "npm ci --prefix policy in up-prod",
    build: () => setRun(release(), "up-prod", /npm ci/, "npm ci --prefix policy"),
    expect: /jobs\.up-prod\.steps\[1\] runs `npm ci --prefix policy` without --ignore-scripts/,
  },
  {
    name: "npm install in plan-prod",
    build: () => setRun(release(), "plan-prod", /npm ci/, "npm install --no-audit"),
    expect: /runs `npm install --no-audit` without --ignore-scripts/,
  },
  {
    name: "npm rebuild (runs install scripts) in up-test",
    build: () => setRun(release(), "up-test", /npm ci/, "npm ci --ignore-scripts && npm rebuild"),
    expect: /runs `npm rebuild` without --ignore-scripts/,
  },
  {
    name: "pnpm install in up-test",
    build: () => setRun(release(), "up-test", /npm ci/, "pnpm install --frozen-lockfile"),
    expect: /runs `pnpm install --frozen-lockfile`/,
  },
  { name: "yarn in up-test", build: () => setRun(release(), "up-test", /npm ci/, "yarn --frozen-lockfile"), expect: /runs `yarn --frozen-lockfile`/ },
  {
    name: "npm ci in the PR preview, whose pulumi/actions step holds the passphrase and the job token",
    build: () => setRun(fixture("preview.yml"), "preview", /^npm ci --ignore-scripts$/, "npm ci"),
    expect: /jobs\.preview\.steps\[1\] runs `npm ci`/,
  },
  {
    name: "npm ci in a job whose job-level env holds a secret",
    build: () => ({ jobs: { build: { env: { TOKEN: "${{ secrets.NPM_TOKEN }}" }, steps: [{ run: "npm ci" }] } } }),
    expect: /jobs\.build\.steps\[0\] runs `npm ci`/,
  },
];

describe("rule install-scripts-off", () => {
  it("accepts the fixtures (npm ci --ignore-scripts) and npm ci in a job that holds no secret (ci.yml)", () => {
    assert.deepStrictEqual(installScriptViolations(release()), []);
    assert.deepStrictEqual(installScriptViolations({ jobs: { test: { steps: [{ uses: "actions/checkout@x" }, { run: "npm ci\nnpm test" }] } } }), []);
  });

  it("accepts npm ci whose secrets all come before it (nothing later can be reached through $GITHUB_ENV)", () => {
    assert.deepStrictEqual(installScriptViolations({ jobs: { a: { steps: [{ run: "echo", env: { A: "${{ secrets.A }}" } }, { run: "npm ci" }] } } }), []);
  });

  for (const c of bad) {
    it(`catches ${c.name}`, () => expectCaught(installScriptViolations(c.build()), c.expect));
  }

  it("reads install commands in scripts", () => {
    assert.deepStrictEqual(installsWithScripts("npm ci --ignore-scripts\nnpm ci --prefix policy --ignore-scripts"), []);
    assert.deepStrictEqual(installsWithScripts("cd x && npm ci\nnpm i -g foo"), ["npm ci", "npm i -g foo"]);
    assert.deepStrictEqual(installsWithScripts("npm run build\nnpm test\necho npm ci"), []);
    assert.deepStrictEqual(installsWithScripts("npm ci --ignore-scripts=false"), ["npm ci --ignore-scripts=false"]);
    assert.deepStrictEqual(installsWithScripts("yarn --ignore-scripts\nyarn install --ignore-scripts\nyarn build\nyarn test"), []);
    assert.deepStrictEqual(installsWithScripts("yarn\nyarn install\nyarn add x\npnpm i"), ["yarn", "yarn install", "yarn add x", "pnpm i"]);
  });
});

/** Dependencies whose install scripts `npm ci --ignore-scripts` skips, and why no job needs them run (docs/pipelines.md). */
const knownInstallScripts: Record<string, Record<string, string>> = {
  "package-lock.json": {
    "": "the root postinstall `npm ci --prefix policy`: the jobs run `npm ci --ignore-scripts --prefix policy` themselves",
    "node_modules/@pulumi/command": "runs `pulumi plugin install resource command 1.2.1` and exits 0 even on failure; the CLI installs a missing plugin itself",
    "node_modules/protobufjs": "prints a warning about version ranges of dependents; installs nothing",
  },
  "policy/package-lock.json": {
    "node_modules/protobufjs": "prints a warning about version ranges of dependents; installs nothing",
  },
};

describe("dependencies with install scripts (what --ignore-scripts skips)", () => {
  for (const [lockfile, known] of Object.entries(knownInstallScripts)) {
    it(`${lockfile}: exactly the known ones, each with a reason it need not run`, () => {
      const lock = JSON.parse(fs.readFileSync(path.join(root, lockfile), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
      const withScripts = Object.entries(lock.packages)
        .filter(([, p]) => p.hasInstallScript)
        .map(([name]) => name)
        .sort();
      assert.deepStrictEqual(
        withScripts,
        Object.keys(known).sort(),
        `${lockfile}: a dependency with an install script was added or removed; decide whether the jobs must run it explicitly and update docs/pipelines.md "Install scripts"`,
      );
    });
  }

  it("the Supabase CLI needs no install script: its binary comes as a platform package", () => {
    const supabase = JSON.parse(fs.readFileSync(path.join(root, "node_modules", "supabase", "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    assert.deepStrictEqual(
      Object.keys(supabase.scripts ?? {}).filter((s) => /install/.test(s)),
      [],
    );
    assert.ok(Object.keys(supabase.optionalDependencies ?? {}).includes("@supabase/cli-linux-x64"));
  });

  it("the @pulumi/command script is what docs/pipelines.md says: a plugin install that never fails npm", () => {
    const script = fs.readFileSync(path.join(root, "node_modules", "@pulumi", "command", "scripts", "install-pulumi-plugin.js"), "utf8");
    assert.match(script, /\["plugin", "install"\]/);
    assert.match(script, /process\.exit\(0\);\s*$/);
  });
});
