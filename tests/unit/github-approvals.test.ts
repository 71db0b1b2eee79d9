import * as assert from "assert";
import { GithubSettings } from "../../config/github";
import { Person, PullRequest, canApproveDeployment, canMerge, canPushDirectly } from "../../lib/github-approvals";
import { authorityOwners } from "../../lib/github-codeowners";
import { productionEnvironmentArgs } from "../../lib/github-plan";
import { rulesetPlan } from "../../lib/github-rulesets";

/**
 * Who can and cannot approve a production release, and who can get code into main, under the settings the program
 * plans (productionEnvironmentArgs, rulesetPlan), judged by GitHub's documented rules (lib/github-approvals.ts).
 */
const agent: Person = { login: "codex-agent", id: 900001, teams: [], admin: false };
const collaborator: Person = { login: "other-dev", id: 555001, teams: [], admin: false };
const sole: Person = { login: "release-captain", id: 100001, teams: [], admin: true };
const second: Person = { login: "second-captain", id: 100002, teams: [], admin: false };
const teamMember: Person = { login: "team-member", id: 100003, teams: [42], admin: false };

const base: GithubSettings = {
  owner: "acme",
  repository: "dm-internal",
  ownerIsOrganization: true,
  productionBranch: "main",
  requiredStatusChecks: ["preview"],
  requiredApprovals: 1,
  releaseAuthority: [{ login: sole.login, id: sole.id }],
  releaseAuthorityTeams: [],
  soleReleaseAuthority: true,
  agentAccounts: [{ login: agent.login, id: agent.id }],
  environmentSecrets: [],
  environmentDeploymentBranches: [],
  releaseBranches: [],
  repositoryVisibility: "private",
  plan: "enterprise",
  acknowledgedGaps: [],
  adopt: false,
  adoptRulesetIds: {},
  adoptPolicyIds: {},
  verifyRepository: false,
};
const soleMode = base;
const twoAuthorities: GithubSettings = {
  ...base,
  soleReleaseAuthority: false,
  releaseAuthority: [
    { login: sole.login, id: sole.id },
    { login: second.login, id: second.id },
  ],
};
/** What the issue found: one authority with prevent self-review always on. */
const beforeThisChange: GithubSettings = { ...base, soleReleaseAuthority: false };

type Row = [who: Person, triggeredBy: Person, can: boolean];

describe("who can approve the production job", () => {
  const tables: [string, GithubSettings, Row[]][] = [
    [
      "sole release authority (seed 000): one person, prevent self-review off",
      soleMode,
      [
        [agent, sole, false],
        [agent, agent, false],
        [collaborator, sole, false],
        [sole, sole, true],
        [sole, agent, true],
        [second, sole, false],
        [teamMember, sole, false],
      ],
    ],
    [
      "two release authorities: prevent self-review on",
      twoAuthorities,
      [
        [agent, sole, false],
        [collaborator, sole, false],
        [sole, sole, false],
        [second, sole, true],
        [sole, second, true],
        [second, second, false],
      ],
    ],
  ];
  for (const [name, github, rows] of tables) {
    describe(name, () => {
      const environment = productionEnvironmentArgs(github);
      for (const [who, triggeredBy, can] of rows) {
        it(`${who.login} ${can ? "can" : "cannot"} approve a run ${triggeredBy.login} started`, () => {
          const verdict = canApproveDeployment(environment, who, triggeredBy);
          assert.strictEqual(verdict.can, can, verdict.why);
        });
      }
    });
  }

  it("before the sole mode, one authority could never approve the run their own merge started (the deadlock)", () => {
    assert.strictEqual(canApproveDeployment(productionEnvironmentArgs(beforeThisChange), sole, sole).can, false);
    // The plan now refuses that layout outright: see github-config.test.ts "one person without the sole-authority mode".
  });

  it("administrators never skip the reviewers, in either mode", () => {
    const admin: Person = { ...collaborator, admin: true };
    for (const github of [soleMode, twoAuthorities]) assert.strictEqual(canApproveDeployment(productionEnvironmentArgs(github), admin, sole).can, false);
  });

  it("a team of the release authority approves through its members", () => {
    const withTeam: GithubSettings = { ...twoAuthorities, releaseAuthorityTeams: [{ slug: "release-managers", id: 42 }] };
    assert.strictEqual(canApproveDeployment(productionEnvironmentArgs(withTeam), teamMember, sole).can, true);
  });
});

describe("who can get code into main", () => {
  const pull = (author: Person, approvers: Person[], github: GithubSettings, extra: Partial<PullRequest> = {}): PullRequest => ({
    author,
    approvers,
    touchesOwnedPaths: true,
    codeOwners: authorityOwners(github),
    checksGreen: true,
    ...extra,
  });
  type MergeRow = [name: string, github: GithubSettings, merger: Person, pr: (g: GithubSettings) => PullRequest, can: boolean];
  const rows: MergeRow[] = [
    [
      "an agent merges its own PR approved by a second agent account",
      soleMode,
      agent,
      (g) => pull(agent, [{ ...agent, login: "codex-agent-2", id: 900002 }], g),
      false,
    ],
    ["an agent merges a PR the sole authority approved", soleMode, agent, (g) => pull(agent, [sole], g), false],
    ["a write collaborator merges an approved PR", twoAuthorities, collaborator, (g) => pull(agent, [sole], g), false],
    [
      "one of two authorities merges an agent's PR approved only by another agent (code-owner review)",
      twoAuthorities,
      sole,
      (g) => pull(agent, [{ ...agent, id: 900002 }], g),
      false,
    ],
    ["the sole authority merges an agent's PR they approved", soleMode, sole, (g) => pull(agent, [sole], g), true],
    ["the sole authority merges their own PR (nobody else can approve it)", soleMode, sole, (g) => pull(sole, [], g), true],
    ["the sole authority merges their own PR with red checks", soleMode, sole, (g) => pull(sole, [], g, { checksGreen: false }), false],
    ["one of two authorities merges their own PR without the other's approval", twoAuthorities, sole, (g) => pull(sole, [], g), false],
    ["one of two authorities merges their own PR the other approved", twoAuthorities, sole, (g) => pull(sole, [second], g), true],
  ];
  for (const [name, github, merger, pr, can] of rows) {
    it(`${can ? "allows" : "refuses"}: ${name}`, () => {
      const verdict = canMerge(
        rulesetPlan(github).map((r) => r.args),
        "main",
        merger,
        pr(github),
      );
      assert.strictEqual(verdict.can, can, verdict.why);
    });
  }

  it("nobody pushes to main directly, the sole authority included", () => {
    for (const github of [soleMode, twoAuthorities]) {
      for (const who of [agent, collaborator, sole, second])
        assert.strictEqual(
          canPushDirectly(
            rulesetPlan(github).map((r) => r.args),
            "main",
            who,
          ).can,
          false,
          who.login,
        );
    }
  });

  it("release branches get the same rules (seed 001 staging)", () => {
    const github: GithubSettings = { ...twoAuthorities, releaseBranches: [{ branch: "staging", requiredStatusChecks: ["preview"] }] };
    const plans = rulesetPlan(github).map((r) => r.args);
    assert.strictEqual(canMerge(plans, "staging", agent, pull(agent, [sole], github)).can, false);
    assert.strictEqual(canMerge(plans, "staging", second, pull(agent, [sole], github)).can, true);
    assert.strictEqual(canPushDirectly(plans, "staging", agent).can, false);
  });
});
