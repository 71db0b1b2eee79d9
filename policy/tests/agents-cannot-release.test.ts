import * as assert from "assert";
import { agentsCannotRelease as policy } from "../policies/agents-cannot-release";
import { FakeResource, assertClean, assertViolation, mutate, runResource } from "./helpers";
import { mainProtection, productionEnvironment } from "./github-fixtures";

const config = { agentAccounts: ["codex-agent"], agentAccountIds: [900001] };
const legacyNodeId = Buffer.from("04:User900001").toString("base64");

const placements: [string, FakeResource, (string | number)[], unknown, string][] = [
  [
    "push allowance",
    mainProtection,
    ["props", "restrictPushes", 0, "pushAllowances"],
    ["/release-captain", "/codex-agent"],
    "may push to the protected branch",
  ],
  ["push allowance by legacy node id", mainProtection, ["props", "restrictPushes", 0, "pushAllowances"], [legacyNodeId], "may push"],
  [
    "pull request bypasser",
    mainProtection,
    ["props", "requiredPullRequestReviews", 0, "pullRequestBypassers"],
    ["/Codex-Agent"],
    "may merge without a reviewed pull request",
  ],
  ["dismissal restriction", mainProtection, ["props", "requiredPullRequestReviews", 0, "dismissalRestrictions"], ["codex-agent"], "may dismiss reviews"],
  ["force push bypasser", mainProtection, ["props", "forcePushBypassers"], ["/codex-agent"], "may force push"],
  ["environment reviewer", productionEnvironment, ["props", "reviewers", 0, "users"], [100001, 900001], "may approve deployments"],
];

describe("agents-cannot-release", () => {
  it("passes the program's protection and environment", () => {
    assertClean(runResource(policy, mainProtection, config));
    assertClean(runResource(policy, productionEnvironment, config));
  });

  for (const [what, base, path, value, fragment] of placements) {
    it(`refuses an agent as ${what}`, () => assertViolation(runResource(policy, mutate(base, path, value), config), fragment));
  }

  it("refuses an agent in a V3 protection's lists", () => {
    const v3: FakeResource = {
      type: "github:index/branchProtectionV3:BranchProtectionV3",
      name: "v3",
      props: { repository: "r", branch: "main", restrictions: { users: ["codex-agent"] } },
    };
    assertViolation(runResource(policy, v3, config), "restrictions.users[0]");
  });

  it("refuses an agent as a ruleset bypass actor, by id", () => {
    const ruleset: FakeResource = {
      type: "github:index/repositoryRuleset:RepositoryRuleset",
      name: "rs",
      props: {
        repository: "r",
        target: "branch",
        enforcement: "active",
        bypassActors: [
          { actorType: "RepositoryRole", actorId: 5, bypassMode: "always" },
          { actorType: "User", actorId: 900001, bypassMode: "always" },
        ],
      },
    };
    assertViolation(runResource(policy, ruleset, config), "bypassActors[1]");
  });

  it("refuses an agent as a repository admin, not as a writer", () => {
    const collaborator: FakeResource = {
      type: "github:index/repositoryCollaborator:RepositoryCollaborator",
      name: "c",
      props: { repository: "r", username: "codex-agent", permission: "admin" },
    };
    assertViolation(runResource(policy, collaborator, config), "repository admin");
    assertClean(runResource(policy, mutate(collaborator, ["props", "permission"], "push"), config));
  });

  it("accepts logins and ids in either config list", () => {
    const reviewer = mutate(productionEnvironment, ["props", "reviewers", 0, "users"], [900001]);
    assert.strictEqual(runResource(policy, reviewer, { agentAccounts: ["codex-agent", 900001] }).violations.length, 1);
    assert.strictEqual(runResource(policy, reviewer, { agentAccountIds: ["900001"] }).violations.length, 1);
  });

  it("does nothing when no agent is configured", () => {
    assertClean(runResource(policy, mutate(mainProtection, ["props", "forcePushBypassers"], ["/codex-agent"]), {}));
  });

  it("applies to every stack", () => {
    assert.strictEqual(
      runResource(policy, { ...mutate(mainProtection, ["props", "forcePushBypassers"], ["/codex-agent"]), stack: "test" }, config).violations.length,
      1,
    );
  });

  it("refuses workflow permissions that let GITHUB_TOKEN approve pull requests (github-actions[bot] approving an agent's PR), in every stack", () => {
    const permissions: FakeResource = {
      type: "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions",
      name: "p",
      stack: "test",
      props: { repository: "r", defaultWorkflowPermissions: "read", canApprovePullRequestReviews: true },
    };
    assertViolation(runResource(policy, permissions, {}), "Set canApprovePullRequestReviews: false");
    assertClean(runResource(policy, mutate(permissions, ["props", "canApprovePullRequestReviews"], false), {}));
  });

  it("refuses an agent as a ruleset bypass actor", () => {
    const ruleset: FakeResource = {
      type: "github:index/repositoryRuleset:RepositoryRuleset",
      name: "r",
      stack: "prod",
      props: {
        repository: "r",
        name: "x",
        target: "branch",
        enforcement: "active",
        bypassActors: [{ actorType: "User", actorId: 900001, bypassMode: "pull_request" }],
        rules: { update: true },
      },
    };
    assertViolation(runResource(policy, ruleset, config), "bypassActors[0]");
  });
});
