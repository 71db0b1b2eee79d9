/**
 * Rule test-github-changes-refused: a job that applies a non-prod stack without a GitHub write token first previews
 * that stack's GitHub resources with --expect-no-changes. (tests/engine/github-change-guard.test.ts shows on the
 * engine that the targets select exactly the GitHub resources.)
 */
import * as assert from "assert";
import { Step, Workflow, githubChangeGuardViolations, githubResourceTargets } from "../../workflow-rules";
import { BadCase, expectCaught, fixture, withOf } from "./fixtures";

const release = () => fixture("release.yml");
const guardOf = (w: Workflow): Step => {
  const step = (w.jobs["up-test"].steps ?? []).find((s) => s.id === "github-guard");
  if (!step) throw new Error("fixture has no github-guard step");
  return step;
};
const policy = "--policy-pack policy --policy-pack-config policy.config.json";
const cliTargets = githubResourceTargets.map((t) => `--target '${t}'`).join(" ");
const cliJob = (...run: string[]): Workflow => ({ jobs: { "up-staging": { steps: run.map((r) => ({ run: r })) } } });

const bad: BadCase[] = [
  {
    name: "up-test without the guard (today's release.yml)",
    build: () => {
      const w = release();
      w.jobs["up-test"].steps = (w.jobs["up-test"].steps ?? []).filter((s) => s.id !== "github-guard");
      return w;
    },
    expect: /jobs\.up-test applies test \(steps\[3\]\) without a GitHub write token and without checking its GitHub resources first/,
  },
  {
    name: "a guard that misses the provider target",
    build: () => {
      const w = release();
      withOf(guardOf(w)).target = githubResourceTargets.slice(0, 2).join("\n");
      return w;
    },
    expect: /does not target urn:pulumi:\*::\*::pulumi:providers:github::\*/,
  },
  {
    name: "a guard that targets more than GitHub (it would refuse every release)",
    build: () => {
      const w = release();
      withOf(guardOf(w)).target = [...githubResourceTargets, "urn:pulumi:*::*::**"].join("\n");
      return w;
    },
    expect: /targets more than the GitHub resources \(urn:pulumi:\*::\*::\*\*\)/,
  },
  {
    name: "a guard without expect-no-changes",
    build: () => {
      const w = release();
      delete withOf(guardOf(w))["expect-no-changes"];
      return w;
    },
    expect: /does not set `expect-no-changes: true`/,
  },
  {
    name: "a guard that continues on error",
    build: () => {
      const w = release();
      guardOf(w)["continue-on-error"] = true;
      return w;
    },
    expect: /continues on error/,
  },
  {
    name: "a guard that can be skipped",
    build: () => {
      const w = release();
      guardOf(w).if = "github.event_name == 'workflow_dispatch'";
      return w;
    },
    expect: /has an `if:`, so it can be skipped/,
  },
  {
    name: "a guard against another backend or env",
    build: () => {
      const w = release();
      guardOf(w).env = {};
      return w;
    },
    expect: /uses another `cloud-url` or `env` than the up/,
  },
  {
    name: "a guard after the up",
    build: () => {
      const w = release();
      const steps = w.jobs["up-test"].steps ?? [];
      const guard = guardOf(w);
      w.jobs["up-test"].steps = [...steps.filter((s) => s !== guard), guard];
      return w;
    },
    expect: /applies test .* without checking its GitHub resources first/,
  },
  {
    name: "a CLI up of staging without a guard",
    build: () => cliJob(`pulumi up --yes --stack staging ${policy}`),
    expect: /jobs\.up-staging applies staging/,
  },
];

describe("rule test-github-changes-refused", () => {
  it("accepts the fixture's up-test and leaves prod alone (up-prod holds the admin token)", () => {
    assert.deepStrictEqual(githubChangeGuardViolations(release()), []);
  });

  it("accepts a CLI guard with quoted --target flags before a CLI up", () => {
    assert.deepStrictEqual(
      githubChangeGuardViolations(
        cliJob(`pulumi preview --stack staging ${cliTargets} --expect-no-changes ${policy}`, `pulumi up --yes --stack staging ${policy}`),
      ),
      [],
    );
  });

  for (const c of bad) {
    it(`catches ${c.name}`, () => expectCaught(githubChangeGuardViolations(c.build()), c.expect));
  }
});
