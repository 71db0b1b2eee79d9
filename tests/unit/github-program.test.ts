import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Registered, ofType, plain, runProgram, stackConfig } from "./harness";

const t = {
  ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
  environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  policy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  secret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  permissions: "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions",
  protection: "github:index/branchProtection:BranchProtection",
  guardrails: "deploy-guardrails:github:GithubGuardrails",
  component: "deploy-guardrails:github:GithubEnvironment",
};
const rulesets = (resources: Registered[]) => Object.fromEntries(ofType(resources, t.ruleset).map((r) => [r.name, plain(r.inputs)]));
const environments = (resources: Registered[]) => Object.fromEntries(ofType(resources, t.environment).map((r) => [r.inputs.environment, plain(r.inputs)]));
const everything = (resources: Registered[]) => JSON.stringify(resources.map((r) => plain(r.inputs)));

/** Two humans and a team in an organization: no sole-authority mode. */
const team = {
  releaseAuthority: [
    { login: "release-captain", id: 100001 },
    { login: "second-captain", id: 100002 },
  ],
  releaseAuthorityTeams: [{ slug: "release-managers", id: 42 }],
  soleReleaseAuthority: false,
};

describe("GitHub settings of the committed prod stack (sole release authority, organization, private on Enterprise)", () => {
  let resources: Registered[];
  before(async () => {
    ({ registered: resources } = await runProgram("prod", stackConfig("prod")));
  });

  it("declares no classic branch protection: rulesets replace it", () => {
    assert.strictEqual(ofType(resources, t.protection).length, 0);
  });

  it("restricts creating and updating main to the release authority, who may bypass only that ruleset", () => {
    assert.deepStrictEqual(rulesets(resources)["github-ruleset-merge-restriction"], {
      repository: "dm-internal",
      name: "deploy-guardrails: only the release authority merges",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
      bypassActors: [{ actorType: "User", actorId: 100001, bypassMode: "always" }],
      rules: { creation: true, update: true },
    });
  });

  it("requires reviewed pull requests with code-owner review; the sole authority bypasses that ruleset on pull requests only", () => {
    assert.deepStrictEqual(rulesets(resources)["github-ruleset-pull-request-reviews"], {
      repository: "dm-internal",
      name: "deploy-guardrails: reviewed pull requests only",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
      bypassActors: [{ actorType: "User", actorId: 100001, bypassMode: "pull_request" }],
      rules: {
        pullRequest: {
          requiredApprovingReviewCount: 1,
          dismissStaleReviewsOnPush: true,
          requireLastPushApproval: true,
          requireCodeOwnerReview: true,
          requiredReviewThreadResolution: true,
        },
      },
    });
  });

  it("pins the required checks to the GitHub Actions app (15368), with no bypass", () => {
    assert.deepStrictEqual(rulesets(resources)["github-ruleset-status-checks"], {
      repository: "dm-internal",
      name: "deploy-guardrails: required checks of main",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
      bypassActors: [],
      rules: {
        requiredStatusChecks: {
          requiredChecks: [{ context: "preview", integrationId: 15368 }],
          strictRequiredStatusChecksPolicy: true,
          doNotEnforceOnCreate: true,
        },
      },
    });
  });

  it("forbids force pushes and deletion for everyone", () => {
    const integrity = rulesets(resources)["github-ruleset-branch-integrity"];
    assert.deepStrictEqual(
      [integrity.bypassActors, integrity.rules, integrity.conditions],
      [[], { deletion: true, nonFastForward: true, requiredLinearHistory: true }, { refName: { includes: ["refs/heads/main"], excludes: [] } }],
    );
    assert.deepStrictEqual(Object.keys(rulesets(resources)).sort(), [
      "github-ruleset-branch-integrity",
      "github-ruleset-merge-restriction",
      "github-ruleset-pull-request-reviews",
      "github-ruleset-status-checks",
    ]);
  });

  it("keeps the GITHUB_TOKEN read-only by default and unable to approve pull requests", () => {
    assert.deepStrictEqual(
      ofType(resources, t.permissions).map((r) => [r.name, plain(r.inputs)]),
      [["github-workflow-permissions", { repository: "dm-internal", defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false }]],
    );
  });

  it("lets the sole authority approve production (prevent self-review off), nobody else, admins never", () => {
    assert.deepStrictEqual(environments(resources).production, {
      repository: "dm-internal",
      environment: "production",
      preventSelfReview: false,
      canAdminsBypass: false,
      reviewers: [{ users: [100001], teams: [] }],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    assert.deepStrictEqual(environments(resources)["production-readonly"], {
      repository: "dm-internal",
      environment: "production-readonly",
      preventSelfReview: false,
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    assert.deepStrictEqual(
      ofType(resources, t.policy)
        .map((p) => [p.name, p.inputs.environment, p.inputs.branchPattern])
        .sort(),
      [
        ["github-production-deploy-policy", "production", "main"],
        ["github-production-readonly-deploy-policy", "production-readonly", "main"],
      ],
    );
  });

  it("keeps the logical names and parents of the production environments (no replacement of existing stacks)", () => {
    const components = ofType(resources, t.component);
    assert.deepStrictEqual(components.map((c) => [c.name, c.options.parent, c.options.aliases.length]).sort(), [
      ["github-production", "github", 0],
      ["github-production-readonly", "github", 0],
    ]);
    assert.deepStrictEqual(
      ofType(resources, t.environment)
        .map((e) => e.name)
        .sort(),
      ["github-production-environment", "github-production-readonly-environment"],
    );
  });

  it("names no agent anywhere", () => {
    assert.ok(!everything(resources).includes("codex-agent") && !everything(resources).includes("900001"));
  });

  it("puts prod secrets into production only, after its deployment policy exists and the prod database's marker check passed", () => {
    const secrets = ofType(resources, t.secret);
    assert.deepStrictEqual(
      secrets.map((s) => [s.inputs.environment, s.inputs.secretName]),
      [
        ["production", "SUPABASE_DB_PASSWORD"],
        ["production", "SUPABASE_ACCESS_TOKEN"],
      ],
    );
    for (const s of secrets) assert.deepStrictEqual(s.dependsOn, ["github-production-environment", "github-production-deploy-policy", "supabase-marker-check"]);
  });
});

describe("GitHub settings of a prod stack with two humans and a team", () => {
  let resources: Registered[];
  before(async () => {
    ({ registered: resources } = await runProgram("prod", stackConfig("prod", team)));
  });

  it("keeps prevent self-review and lets both people and the team merge, nobody else", () => {
    const production = environments(resources).production;
    assert.deepStrictEqual([production.preventSelfReview, production.reviewers], [true, [{ users: [100001, 100002], teams: [42] }]]);
    assert.deepStrictEqual(rulesets(resources)["github-ruleset-merge-restriction"].bypassActors, [
      { actorType: "User", actorId: 100001, bypassMode: "always" },
      { actorType: "User", actorId: 100002, bypassMode: "always" },
      { actorType: "Team", actorId: 42, bypassMode: "always" },
    ]);
    assert.deepStrictEqual(rulesets(resources)["github-ruleset-pull-request-reviews"].bypassActors, []);
  });
});

describe("GitHub settings of a user-owned repository (githubOwnerIsOrganization false)", () => {
  it("restricts merges with User bypass actors, which rulesets accept where classic push restrictions do not exist", async () => {
    const { registered } = await runProgram(
      "prod",
      stackConfig("prod", { githubOwnerIsOrganization: false, githubPlan: "pro", githubRepositoryVisibility: "public" }),
    );
    const restriction = rulesets(registered)["github-ruleset-merge-restriction"];
    assert.deepStrictEqual(
      [restriction.rules, restriction.bypassActors],
      [{ creation: true, update: true }, [{ actorType: "User", actorId: 100001, bypassMode: "always" }]],
    );
    assert.strictEqual(ofType(registered, t.protection).length, 0);
  });
});

describe("GitHub settings with release branches (seed 001 staging)", () => {
  it("protects staging like main, with its own pinned checks", async () => {
    const { registered } = await runProgram(
      "prod",
      stackConfig("prod", { ...team, releaseBranches: ["staging"], releaseBranchStatusChecks: { staging: ["preview", "test"] } }),
    );
    const all = rulesets(registered);
    for (const role of ["merge-restriction", "pull-request-reviews", "branch-integrity"]) {
      assert.deepStrictEqual(all[`github-ruleset-${role}`].conditions.refName.includes, ["refs/heads/main", "refs/heads/staging"], role);
    }
    assert.deepStrictEqual(all["github-ruleset-status-checks"].conditions.refName.includes, ["refs/heads/main"]);
    assert.deepStrictEqual(all["github-ruleset-status-checks-staging"], {
      repository: "dm-internal",
      name: "deploy-guardrails: required checks of staging",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/staging"], excludes: [] } },
      bypassActors: [],
      rules: {
        requiredStatusChecks: {
          requiredChecks: [
            { context: "preview", integrationId: 15368 },
            { context: "test", integrationId: 15368 },
          ],
          strictRequiredStatusChecksPolicy: true,
          doNotEnforceOnCreate: true,
        },
      },
    });
  });

  it("a name alone takes the production branch's checks", async () => {
    const { registered } = await runProgram("prod", stackConfig("prod", { ...team, requiredStatusChecks: ["preview", "test"], releaseBranches: ["dev"] }));
    assert.deepStrictEqual(
      rulesets(registered)["github-ruleset-status-checks-dev"].rules.requiredStatusChecks.requiredChecks.map((c: { context: string }) => c.context),
      ["preview", "test"],
    );
  });
});

describe("GitHub settings acknowledged as gaps (private repository on GitHub Team)", () => {
  let resources: Registered[];
  const warnings: string[] = [];
  before(async () => {
    const original = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
      warnings.push(message);
      return Promise.resolve();
    };
    try {
      ({ registered: resources } = await runProgram(
        "prod",
        stackConfig("prod", {
          ...team,
          githubPlan: "team",
          githubAcknowledgedGaps: [
            {
              setting: "productionReviewers",
              reason: "GitHub Team has no environment reviewers on private repositories; releases are approved in the weekly meeting",
            },
            { setting: "workflowPermissions", reason: "the organization sets workflow permissions for every repository" },
          ],
        }),
      ));
    } finally {
      pulumi.log.warn = original;
    }
  });

  it("sends no reviewers (GitHub would refuse them) and turns off prevent self-review, which needs a reviewer", () => {
    const production = environments(resources).production;
    assert.strictEqual(production.reviewers, undefined);
    assert.strictEqual(production.preventSelfReview, false);
    assert.strictEqual(production.canAdminsBypass, false);
  });

  it("leaves out the workflow permissions and keeps every ruleset", () => {
    assert.strictEqual(ofType(resources, t.permissions).length, 0);
    assert.strictEqual(ofType(resources, t.ruleset).length, 4);
  });

  it("warns at every preview about each acknowledged gap, with its reason", () => {
    assert.ok(
      warnings.some((w) => /productionReviewers is NOT enforced.*weekly meeting/.test(w)),
      warnings.join("\n"),
    );
    assert.ok(
      warnings.some((w) => /workflowPermissions is NOT enforced/.test(w)),
      warnings.join("\n"),
    );
  });
});

describe("adopting GitHub settings made by hand (adoptGithub)", () => {
  it("imports environments, the workflow permissions and the rulesets whose ids are given; creates the others", async () => {
    const { registered } = await runProgram(
      "prod",
      stackConfig("prod", { adoptGithub: true, adoptGithubRulesetIds: { "merge-restriction": 7001, "status-checks": 7002 } }),
    );
    const imports = Object.fromEntries(
      registered.filter((r) => r.type.startsWith("github:index/") && r.options.importId !== undefined).map((r) => [r.name, r.options.importId]),
    );
    assert.deepStrictEqual(imports, {
      "github-production-environment": "dm-internal:production",
      "github-production-readonly-environment": "dm-internal:production-readonly",
      "github-ruleset-merge-restriction": "dm-internal:7001",
      "github-ruleset-status-checks": "dm-internal:7002",
      "github-workflow-permissions": "dm-internal",
    });
  });

  it("test stack: imports its two environments", async () => {
    const { registered } = await runProgram("test", stackConfig("test", { adoptGithub: true }));
    const imports = registered.filter((r) => r.options.importId !== undefined).map((r) => [r.name, r.options.importId]);
    assert.deepStrictEqual(imports.sort(), [
      ["github-test-environment", "dm-internal:test"],
      ["github-test-readonly-environment", "dm-internal:test-readonly"],
    ]);
  });
});

describe("GitHub settings of the test stack", () => {
  let resources: Registered[];
  before(async () => {
    ({ registered: resources } = await runProgram("test", stackConfig("test")));
  });

  it("declares its two environments only: no ruleset, no workflow permissions, no protection", () => {
    assert.deepStrictEqual(ofType(resources, t.ruleset).length + ofType(resources, t.permissions).length + ofType(resources, t.protection).length, 0);
    assert.deepStrictEqual(environments(resources), {
      test: {
        repository: "dm-internal",
        environment: "test",
        preventSelfReview: false,
        canAdminsBypass: false,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      "test-readonly": { repository: "dm-internal", environment: "test-readonly", preventSelfReview: false, canAdminsBypass: false },
    });
  });

  it("moved its environments under the GithubGuardrails component with an alias to their old top-level place", () => {
    const components = ofType(resources, t.component);
    assert.deepStrictEqual(components.map((c) => [c.name, c.options.parent]).sort(), [
      ["github-test", "github"],
      ["github-test-readonly", "github"],
    ]);
    for (const c of components) {
      assert.deepStrictEqual(
        c.options.aliases.map((a) => Object.keys(a as object)),
        [["parent"]],
        `${c.name} needs the alias { parent: rootStackResource }`,
      );
      assert.strictEqual((c.options.aliases[0] as { parent: unknown }).parent, pulumi.rootStackResource);
    }
    assert.deepStrictEqual(
      ofType(resources, t.guardrails).map((g) => g.name),
      ["github"],
    );
  });
});

describe("asking GitHub for the repository (githubVerifyRepository)", () => {
  it("stops the prod run when the invoke does not confirm the declared visibility (the mocks answer with the invoke's inputs only)", async () => {
    await assert.rejects(
      runProgram("prod", stackConfig("prod", { githubVerifyRepository: true })),
      /GitHub did not say whether acme\/dm-internal is public or private/,
    );
  });
});
