/**
 * Every check a protected branch requires (the prod stack's status-check rulesets: the production branch and each
 * releaseBranches entry, seed 001 `staging`, seed 003 `dev`) is reported by a workflow job that runs on pull requests
 * into that branch, or the pull request can never merge. Checks no workflow here reports are the team's own and are
 * listed below. For the root and every example, with the workflows its repository runs (declared-github.ts).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Job, Workflow, checkName, environmentName, isRecord, pulumiSteps, stackBase } from "../../workflow-rules";
import { Project, projects, requiredChecksByBranch } from "./declared-github";
import { admits, branchPatternMatches } from "./people";

/** Required checks that come from the team's own CI, not from a workflow of this program. */
const teamChecks: Record<string, string[]> = {
  root: [],
  "000-dm-internal-systems": ["test"],
  // Seed 001's pr-checks.yml: job `test` (Deno tests, iOS build) on every pull request.
  "001-mano": ["test"],
  "002-balance-kitchen": ["balanceguard", "quality-gates"],
  "003-f044": ["test"],
  "004-fashionos": ["test"],
};

const defaultTypes = ["opened", "synchronize", "reopened"];

/** Whether the workflow runs on a pull request into `branch`, for every change of its head (no path filter, the default activity types). */
export function runsOnPullRequestsInto(workflow: Workflow, branch: string): boolean {
  const on = workflow.on;
  if (on === "pull_request" || (Array.isArray(on) && on.includes("pull_request"))) return true;
  if (!isRecord(on) || !("pull_request" in on)) return false;
  const trigger = on.pull_request;
  if (!isRecord(trigger)) return true;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : undefined);
  const branches = list(trigger.branches);
  const ignored = list(trigger["branches-ignore"]);
  if (branches && !branches.some((p) => branchPatternMatches(p, branch))) return false;
  if (ignored && ignored.some((p) => branchPatternMatches(p, branch))) return false;
  return true;
}

/** Why a job that runs on such pull requests may still not report its check on every one: empty when it always does. */
export function reportingGaps(workflow: Workflow, job: Job): string[] {
  const out: string[] = [];
  const trigger = isRecord(workflow.on) && isRecord(workflow.on.pull_request) ? workflow.on.pull_request : {};
  if ("paths" in trigger || "paths-ignore" in trigger) out.push("a paths filter: a pull request outside those paths never gets the check");
  const types = Array.isArray(trigger.types) ? trigger.types.map(String) : defaultTypes;
  for (const t of defaultTypes) if (!types.includes(t)) out.push(`types without ${t}: such a push leaves the check missing or stale`);
  // GitHub reports a job skipped by `if:` as successful, which satisfies a required check without running it.
  if (job.if !== undefined) out.push("an `if:` on the job: a skipped job passes the required check");
  return out;
}

interface Reporter {
  file: string;
  id: string;
  job: Job;
  workflow: Workflow;
}

const reportersOf = (project: Project, context: string): Reporter[] =>
  Object.entries(project.workflows).flatMap(([file, workflow]) =>
    Object.entries(workflow.jobs)
      .filter(([id, job]) => checkName(id, job) === context)
      .map(([id, job]) => ({ file, id, job, workflow })),
  );

/** The non-prod stacks whose writing environment deploys from `branch`: a merge there releases them. */
const stacksReleasingFrom = (project: Project, branch: string) =>
  project.declared.environments
    .filter((e) => e.stack !== "prod" && !e.environment.endsWith("-readonly") && e.branches !== "any" && admits(e, branch))
    .map((e) => e.stack);

describe("required checks of every protected branch run on its pull requests", () => {
  const all = projects();

  it("the examples with release branches are the seeds' (001 staging, 003 dev)", () => {
    const releaseBranches = Object.fromEntries(all.map((p) => [p.name, p.declared.github.releaseBranches.map((b) => b.branch)]));
    assert.deepStrictEqual(releaseBranches, {
      root: [],
      "000-dm-internal-systems": [],
      "001-mano": ["staging"],
      "002-balance-kitchen": [],
      "003-f044": ["dev"],
      "004-fashionos": [],
    });
  });

  for (const project of all) {
    const label = project.name === "root" ? "the root" : `examples/${project.name}`;
    const checks = requiredChecksByBranch(project.declared.rulesets);

    for (const [branch, contexts] of Object.entries(checks)) {
      it(`${label}: every check ${branch} requires (${contexts.join(", ")}) is reported by exactly one job on each pull request into ${branch}, or is the team's own`, () => {
        for (const context of contexts) {
          const reporters = reportersOf(project, context);
          if (reporters.length === 0) {
            assert.ok(teamChecks[project.name]?.includes(context), `${label}: ${branch} requires \`${context}\`, which no workflow reports`);
            continue;
          }
          const running = reporters.filter((r) => runsOnPullRequestsInto(r.workflow, branch));
          assert.strictEqual(
            running.length,
            1,
            `${label}: \`${context}\` on pull requests into ${branch} comes from ${running.map((r) => `${r.file} ${r.id}`).join(", ") || "no job"} (reported by ${reporters.map((r) => r.file).join(", ")})`,
          );
          assert.deepStrictEqual(reportingGaps(running[0].workflow, running[0].job), [], `${label}: ${running[0].file} jobs.${running[0].id}`);
        }
      });
    }

    it(`${label}: the team's own checks are exactly the required ones no workflow here reports`, () => {
      const unreported = [...new Set(Object.values(checks).flat())].filter((c) => reportersOf(project, c).length === 0).sort();
      assert.deepStrictEqual(unreported, [...(teamChecks[project.name] ?? [])].sort());
    });

    for (const branch of Object.keys(checks)) {
      it(`${label}: the \`preview\` of pull requests into ${branch} previews the stack a merge there releases, from its read-only environment`, () => {
        const reporter = reportersOf(project, "preview").find((r) => runsOnPullRequestsInto(r.workflow, branch));
        assert.ok(reporter, `no preview on pull requests into ${branch}`);
        const stacks = pulumiSteps(reporter.job).map((op) => stackBase(op.stack));
        const releasing = stacksReleasingFrom(project, branch);
        const expected = releasing.length > 0 ? releasing : ["test"];
        assert.strictEqual(stacks.length, 1, `${reporter.file} jobs.${reporter.id} runs one Pulumi operation`);
        assert.ok(expected.includes(stacks[0]), `${reporter.file} previews ${stacks[0]}; a merge into ${branch} releases ${expected.join(", ")}`);
        assert.strictEqual(environmentName(reporter.job), `${stacks[0]}-readonly`);
      });
    }
  }

  it("an example that protects a release branch says which of its own checks must run on pull requests into it", () => {
    for (const project of all.filter((p) => p.declared.github.releaseBranches.length > 0)) {
      const readme = fs.readFileSync(path.join(project.dir, "README.md"), "utf8");
      for (const { branch, requiredStatusChecks } of project.declared.github.releaseBranches) {
        for (const check of requiredStatusChecks.filter((c) => teamChecks[project.name].includes(c))) {
          const paragraph = readme.split(/\n\s*\n|\n- /).find((p) => p.includes(`\`${check}\``) && p.includes(`pull requests into \`${branch}\``));
          assert.ok(paragraph, `examples/${project.name}/README.md: say that \`${check}\` must run on pull requests into \`${branch}\``);
        }
      }
    }
  });

  describe("the examples' preview workflows are the root's preview.yml with only the branches, the environment and the stack changed", () => {
    const rootPreview = all.find((p) => p.name === "root")!.workflows["preview.yml"];
    const normalised = (w: Workflow) => {
      const copy = JSON.parse(JSON.stringify(w)) as Workflow & { on: { pull_request: Record<string, unknown> } };
      delete (copy as { name?: string }).name;
      delete copy.on.pull_request.branches;
      delete copy.on.pull_request.types;
      for (const job of Object.values(copy.jobs)) {
        delete job.environment;
        for (const step of job.steps ?? []) {
          if (step.with?.["stack-name"] !== undefined) step.with["stack-name"] = "(stack)";
          if (typeof step.name === "string") step.name = step.name.replace(/\((test|staging)\)/, "(stack)");
        }
      }
      return copy;
    };
    for (const project of all) {
      for (const [file, w] of Object.entries(project.workflows)) {
        if (w === rootPreview || !Object.values(w.jobs).some((j, i) => checkName(Object.keys(w.jobs)[i], j) === "preview")) continue;
        it(`examples/${project.name}/.github/workflows/${file}`, () => {
          assert.deepStrictEqual(normalised(w), normalised(rootPreview));
        });
      }
    }
  });

  describe("the rule itself", () => {
    const workflow = (on: unknown, job: Job = { "runs-on": "ubuntu-latest" } as Job): Workflow => ({ on, jobs: { preview: job } }) as Workflow;
    const cases: [string, unknown, string, boolean][] = [
      ["branches [main] on a pull request into staging", { pull_request: { branches: ["main"] } }, "staging", false],
      ["branches [main, staging]", { pull_request: { branches: ["main", "staging"] } }, "staging", true],
      ["no branch filter", { pull_request: {} }, "dev", true],
      ["pull_request as a string", "pull_request", "dev", true],
      ["branches-ignore [dev]", { pull_request: { "branches-ignore": ["dev"] } }, "dev", false],
      ["a wildcard that stops at /", { pull_request: { branches: ["release/*"] } }, "release/a/b", false],
      ["** crosses /", { pull_request: { branches: ["release/**"] } }, "release/a/b", true],
      ["push only", { push: { branches: ["dev"] } }, "dev", false],
    ];
    for (const [name, on, branch, runs] of cases) {
      it(`${runs ? "runs" : "does not run"}: ${name}`, () => assert.strictEqual(runsOnPullRequestsInto(workflow(on), branch), runs));
    }

    it("a paths filter, missing activity types or a job-level if: leave the required check unreported or passed unrun", () => {
      assert.strictEqual(reportingGaps(workflow({ pull_request: { paths: ["infra/**"] } }), { "runs-on": "x" } as Job).length, 1);
      assert.strictEqual(reportingGaps(workflow({ pull_request: { types: ["opened"] } }), { "runs-on": "x" } as Job).length, 2);
      assert.strictEqual(reportingGaps(workflow({ pull_request: {} }), { "runs-on": "x", if: "github.base_ref == 'main'" } as Job).length, 1);
      assert.deepStrictEqual(
        reportingGaps(workflow({ pull_request: { types: ["opened", "synchronize", "reopened", "edited"] } }), { "runs-on": "x" } as Job),
        [],
      );
    });
  });
});
