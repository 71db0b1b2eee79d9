import * as assert from "assert";
import { githubGuardrailsDeclared as policy } from "../policies/github-guardrails-declared";
import {
  branchIntegrity,
  deployPolicy,
  mainProtection,
  mergeRestriction,
  productionEnvironment,
  pullRequestReviews,
  rulesets,
  soleProductionEnvironment,
  statusChecks,
  workflowPermissions,
} from "./github-fixtures";
import { FakeStackResource, assertClean, assertViolation, mutate, runStack, unknown } from "./helpers";

const otherResource: FakeStackResource = { type: "command:local:Command", name: "supabase-db-push", props: { create: "x" } };
/** What the program declares for the committed prod stack. */
const declared: FakeStackResource[] = [...rulesets, workflowPermissions, soleProductionEnvironment, deployPolicy, otherResource];
const without = (...names: string[]) => declared.filter((r) => !names.includes(r.name));
const replace = (resource: FakeStackResource) => declared.map((r) => (r.name === resource.name ? resource : r));
const gap = (setting: string) => ({ setting, reason: "the team accepts this, see the runbook" });

describe("github-guardrails-declared", () => {
  it("passes what the program declares for the committed prod stack", () => {
    assertClean(runStack(policy, declared));
    assertClean(runStack(policy, replace(productionEnvironment)));
  });

  // Each row removes or weakens one setting the way a hand-edited program (or a pull request editing it) would.
  const cases: [string, FakeStackResource[], RegExp][] = [
    ["no merge restriction", without(mergeRestriction.name), /does not declare mergeRestriction for main: a restriction of who may merge/],
    [
      "a merge restriction that does not restrict updates",
      replace(mutate(mergeRestriction, ["props", "rules", "update"], false)),
      /does not declare mergeRestriction for main/,
    ],
    [
      "a merge restriction on another branch",
      replace(mutate(mergeRestriction, ["props", "conditions", "refName", "includes"], ["refs/heads/develop"])),
      /does not declare mergeRestriction for main/,
    ],
    [
      "a merge restriction only on ~DEFAULT_BRANCH (which may not be main)",
      replace(mutate(mergeRestriction, ["props", "conditions", "refName", "includes"], ["~DEFAULT_BRANCH"])),
      /does not declare mergeRestriction for main/,
    ],
    [
      "a merge restriction that excludes main",
      replace(mutate(mergeRestriction, ["props", "conditions", "refName"], { includes: ["~ALL"], excludes: ["refs/heads/main"] })),
      /does not declare mergeRestriction/,
    ],
    ["a merge restriction in evaluate mode", replace(mutate(mergeRestriction, ["props", "enforcement"], "evaluate")), /does not declare mergeRestriction/],
    [
      "no required approvals",
      replace(mutate(pullRequestReviews, ["props", "rules", "pullRequest", "requiredApprovingReviewCount"], 0)),
      /does not declare pullRequestReviews for main/,
    ],
    [
      "no code-owner review",
      replace(mutate(pullRequestReviews, ["props", "rules", "pullRequest", "requireCodeOwnerReview"], false)),
      /does not declare codeOwnerReview for main/,
    ],
    [
      "the preview check by name only (anyone with write access can post it)",
      replace(mutate(statusChecks, ["props", "rules", "requiredStatusChecks", "requiredChecks"], [{ context: "preview" }])),
      /does not declare pinnedStatusChecks for main: required status checks pinned to the app/,
    ],
    ["no force-push ban", without(branchIntegrity.name), /does not declare branchIntegrity for main/],
    [
      "no workflow permissions",
      without(workflowPermissions.name),
      /does not declare workflowPermissions: a github.WorkflowRepositoryPermissions with canApprovePullRequestReviews: false/,
    ],
    [
      "workflow permissions that let GITHUB_TOKEN approve",
      replace(mutate(workflowPermissions, ["props", "canApprovePullRequestReviews"], true)),
      /does not declare workflowPermissions/,
    ],
    [
      "write as default workflow permissions",
      replace(mutate(workflowPermissions, ["props", "defaultWorkflowPermissions"], "write")),
      /does not declare workflowPermissions/,
    ],
    [
      "no reviewers on production",
      replace(mutate(soleProductionEnvironment, ["props", "reviewers"], [{ users: [], teams: [] }])),
      /does not declare productionReviewers: required reviewers on the production environment/,
    ],
    ["no production environment", without(soleProductionEnvironment.name), /does not declare productionEnvironment: the production RepositoryEnvironment/],
    [
      "a production deployment policy for another branch",
      replace(mutate(deployPolicy, ["props", "branchPattern"], "*")),
      /does not declare productionEnvironment/,
    ],
  ];
  for (const [name, resources, pattern] of cases) it(`refuses ${name}`, () => assertViolation(runStack(policy, resources), pattern));

  it("names the fix and how to acknowledge, without the production environment being acknowledgeable", () => {
    const [message] = runStack(policy, without(mergeRestriction.name)).violations;
    assert.match(
      message,
      /Fix: the program declares it as github-ruleset-merge-restriction\. If the team accepts the gap, acknowledge mergeRestriction with the reason in deploy-guardrails:githubAcknowledgedGaps and in acknowledgedGaps of this policy's config\./,
    );
    const env = runStack(policy, without(soleProductionEnvironment.name), { acknowledgedGaps: [gap("productionEnvironment")] });
    assertViolation(env, /productionEnvironment: .* Fix: turn GitHub on in the prod stack \(enableGithub\)\.$/);
  });

  it("accepts a gap acknowledged with a reason, not one without", () => {
    assertClean(runStack(policy, without(mergeRestriction.name), { acknowledgedGaps: [gap("mergeRestriction")] }));
    assertClean(runStack(policy, replace(mutate(soleProductionEnvironment, ["props", "reviewers"], [])), { acknowledgedGaps: [gap("productionReviewers")] }));
    assertViolation(runStack(policy, without(mergeRestriction.name), { acknowledgedGaps: [{ setting: "mergeRestriction", reason: "" }] }), /mergeRestriction/);
  });

  it("holds release branches to the same settings (seed 001 staging)", () => {
    const config = { releaseBranches: ["staging"] };
    const result = runStack(policy, declared, config);
    assert.deepStrictEqual(
      result.violations.map((v) => /declare (\w+) for ([\w, ]+):/.exec(v)?.slice(1)),
      [
        ["mergeRestriction", "staging"],
        ["pullRequestReviews", "staging"],
        ["codeOwnerReview", "staging"],
        ["pinnedStatusChecks", "staging"],
        ["branchIntegrity", "staging"],
      ],
    );
    const both = ["refs/heads/main", "refs/heads/staging"];
    const covered = [
      ...[mergeRestriction, pullRequestReviews, branchIntegrity].map((r) => mutate(r, ["props", "conditions", "refName", "includes"], both)),
      statusChecks,
      mutate(mutate(statusChecks, ["name"], "github-ruleset-status-checks-staging"), ["props", "conditions", "refName", "includes"], ["refs/heads/staging"]),
      workflowPermissions,
      soleProductionEnvironment,
      deployPolicy,
    ];
    assertClean(runStack(policy, covered, config));
  });

  it("counts a classic branch protection for what it can do, never for pinned checks", () => {
    const classic = [
      mutate(mainProtection, ["props", "requiredPullRequestReviews", 0, "requireCodeOwnerReviews"], true),
      workflowPermissions,
      soleProductionEnvironment,
      deployPolicy,
    ];
    assertViolation(runStack(policy, classic), /does not declare pinnedStatusChecks for main/);
    assertClean(runStack(policy, classic, { acknowledgedGaps: [gap("pinnedStatusChecks")] }));
  });

  it("says so when GitHub is switched off in prod, unless requireGithubGuardrails is false", () => {
    const result = runStack(policy, [otherResource]);
    assert.ok(result.violations.length > 0 && result.violations.every((v) => v.startsWith("The prod stack declares no GitHub resources at all.")));
    assertClean(runStack(policy, [otherResource], { requireGithubGuardrails: false }));
  });

  it("leaves non-prod stacks and empty stacks alone", () => {
    assertClean(runStack(policy, [{ ...otherResource, stack: "test" }]));
    assertClean(runStack(policy, []));
  });

  it("decides at preview although the rulesets' computed outputs (etag, nodeId, rulesetId) are unknown then", () => {
    const computedUnknown = (r: FakeStackResource) => ({
      ...r,
      props: { ...r.props, etag: unknown.string, nodeId: unknown.string, rulesetId: unknown.string },
    });
    const result = runStack(
      policy,
      declared.map((r) => (rulesets.includes(r) ? computedUnknown(r) : r)),
    );
    assert.deepStrictEqual([result.deferred, result.violations], [false, []]);
  });

  it("defers what is unknown at preview, still reporting what is surely missing", () => {
    const result = runStack(policy, [
      ...without(deployPolicy.name, mergeRestriction.name),
      mutate(mergeRestriction, ["props", "rules", "update"], unknown.boolean),
    ]);
    assert.strictEqual(result.deferred, true);
    assert.deepStrictEqual(result.violations.length, 1);
    assert.match(result.violations[0], /productionEnvironment/);
  });
});
