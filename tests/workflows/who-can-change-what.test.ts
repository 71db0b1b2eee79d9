/**
 * docs/pipelines.md, "Who can change what": the table is parsed; every workflow job (the examples' included) has
 * exactly one row, and each job row says what the workflow gives that job (workflow-rules/capabilities.ts) under the
 * job-token settings its repository's prod stack declares. The people rows are derived from the GitHub settings the
 * committed stack files declare (the rulesets, CODEOWNERS, WorkflowRepositoryPermissions and every stack's
 * environments, from the program's own plan; people.ts), for the root and every example. The attacks below change one
 * declared setting each and show the table would then be wrong.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Capability, Workflow, capabilityColumns, jobCapabilities, parseWorkflow } from "../../workflow-rules";
import { DeclaredGithub, Project, declaredGithub, ownWorkflows, projects, repositorySettingsOf, root } from "./declared-github";
import { fixture } from "./fixtures";
import { CapabilityRow, PersonRole, castOf, peopleRows, personRoles } from "./people";

interface Row {
  who: string;
  environment: string;
  can: Record<Capability, boolean>;
}

/** The rows of the markdown table under the heading "Who can change what", with exact yes/no cells. */
export function parseWhoCanChangeWhat(markdown: string): Row[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("Who can change what"));
  assert.ok(section, 'docs/pipelines.md has no "## Who can change what" section');
  const table = section.split("\n").filter((l) => l.startsWith("|"));
  const header = table[0]
    .split("|")
    .slice(1, -1)
    .map((c) => c.trim());
  assert.deepStrictEqual(header, ["Who", "Environment", ...capabilityColumns], "the table's columns");
  return table.slice(2).map((line) => {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    assert.strictEqual(cells.length, header.length, `row with ${cells.length} cells: ${line}`);
    const can = {} as Record<Capability, boolean>;
    capabilityColumns.forEach((column, i) => {
      const cell = cells[i + 2];
      assert.ok(cell === "yes" || cell === "no", `"${cells[0]}", ${column}: "${cell}" is not yes or no`);
      can[column] = cell === "yes";
    });
    return { who: cells[0], environment: cells[1].replace(/`/g, ""), can };
  });
}

const rows = parseWhoCanChangeWhat(fs.readFileSync(path.join(root, "docs", "pipelines.md"), "utf8"));
const jobRows = rows.filter((r) => r.who.startsWith("`"));
const peopleInTable = rows.filter((r) => !r.who.startsWith("`"));
const keyOf = (who: string) => {
  const m = /^`([\w./-]+\.ya?ml)` `([\w-]+)`$/.exec(who);
  assert.ok(m, `a job row names \`<workflow file>\` \`<job>\`: ${who}`);
  return { file: m[1], id: m[2] };
};

/** The project whose repository runs a workflow named as the table names it (`001-mano/…` for an example's). */
const projectOfFile = (all: Project[], file: string) => all.find((p) => p.name === (file.includes("/") ? file.split("/")[0] : "root"))!;

/** Every cell where the table differs from what the declared settings give: `who: column`. */
function differences(
  declared: DeclaredGithub,
  workflowsOfPeople: Record<string, Workflow>,
  jobs: { who: string; workflow: Workflow; id: string; declared: DeclaredGithub }[],
): string[] {
  const out: string[] = [];
  const derived = peopleRows(declared, workflowsOfPeople);
  for (const row of peopleInTable) {
    for (const c of capabilityColumns) if (row.can[c] !== derived[row.who as PersonRole]?.[c]) out.push(`${row.who}: ${c}`);
  }
  for (const { who, workflow, id, declared: d } of jobs) {
    const can = jobCapabilities(workflow, id, repositorySettingsOf(d)).can;
    const row = jobRows.find((r) => r.who === who)!;
    for (const c of capabilityColumns) if (row.can[c] !== can[c]) out.push(`${who}: ${c}`);
  }
  return out;
}

describe('docs/pipelines.md "Who can change what"', () => {
  const all = projects();
  const rootProject = all.find((p) => p.name === "root")!;
  const workflows = ownWorkflows();

  it("has one row per workflow job, and none for a job that does not exist", () => {
    const inTable = jobRows.map((r) => `${keyOf(r.who).file} ${keyOf(r.who).id}`).sort();
    const inWorkflows = Object.entries(workflows)
      .flatMap(([file, w]) => Object.keys(w.jobs).map((id) => `${file} ${id}`))
      .sort();
    assert.deepStrictEqual(inTable, inWorkflows);
  });

  it("says, for every job, the environment and what the workflow lets it change under its repository's declared workflow permissions", () => {
    for (const row of jobRows) {
      const { file, id } = keyOf(row.who);
      const derived = jobCapabilities(workflows[file], id, repositorySettingsOf(projectOfFile(all, file).declared));
      assert.strictEqual(row.environment, derived.environment ?? "none", `${row.who}: environment`);
      assert.deepStrictEqual(row.can, derived.can, `${row.who}: the table says ${JSON.stringify(row.can)}, the workflow gives ${JSON.stringify(derived.can)}`);
    }
  });

  it("keeps production the only place that reads prod secrets, changes GitHub settings or deploys production", () => {
    for (const row of jobRows) {
      if (row.can["Read prod secrets"] || row.can["Change GitHub settings"] || row.can["Deploy production"])
        assert.strictEqual(row.environment, "production", row.who);
    }
  });

  it("has one row per kind of person, bound to no environment", () => {
    assert.deepStrictEqual(
      peopleInTable.map((r) => r.who),
      [...personRoles],
    );
    for (const row of peopleInTable) assert.strictEqual(row.environment, "none", row.who);
  });

  for (const project of all) {
    it(`the people rows follow from the GitHub settings ${project.name === "root" ? "the root's" : `examples/${project.name}'s`} stack files declare (rulesets, CODEOWNERS, workflow permissions, environments)`, () => {
      const derived = peopleRows(project.declared, project.workflows);
      const cast = castOf(project.declared.github).map((c) => `${c.role}: ${c.person.login}`);
      for (const row of peopleInTable)
        assert.deepStrictEqual(derived[row.who as PersonRole], row.can, `${row.who} (${cast.filter((c) => c.startsWith(row.who)).join(", ")})`);
    });
  }

  it("holds for the root's prod stack in both release-authority modes: one sole authority, or two who approve each other's runs", () => {
    const { github } = rootProject.declared;
    assert.strictEqual(github.soleReleaseAuthority, true, "the committed root stack is seed 000's sole release authority");
    const two = withStack(
      rootProject,
      (text) =>
        text
          .replace("  deploy-guardrails:soleReleaseAuthority: true\n", "")
          .replace("      id: 100001\n", "      id: 100001\n    - login: second-captain\n      id: 100002\n"),
      // What `npm run codeowners` writes for two authorities.
      (owners) => owners.replace(/ @release-captain$/gm, " @release-captain @second-captain"),
    );
    assert.strictEqual(two.github.releaseAuthority.length, 2);
    assert.deepStrictEqual(differences(two, rootProject.workflows, []), []);
  });

  /** The root project with a changed Pulumi.prod.yaml, read through config/ like the committed one. */
  function withStack(project: Project, edit: (prodYaml: string) => string, codeowners?: (text: string) => string): DeclaredGithub {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "who-can-change-what-"));
    for (const f of fs.readdirSync(project.dir).filter((n) => /^Pulumi\.[^.]+\.yaml$/.test(n))) {
      const text = fs.readFileSync(path.join(project.dir, f), "utf8");
      fs.writeFileSync(path.join(dir, f), f === "Pulumi.prod.yaml" ? edit(text) : text);
    }
    const owners = fs.readFileSync(path.join(project.dir, ".github", "CODEOWNERS"), "utf8");
    return declaredGithub(dir, codeowners ? codeowners(owners) : owners);
  }

  const clone = (d: DeclaredGithub): DeclaredGithub => JSON.parse(JSON.stringify(d)) as DeclaredGithub;
  const agentId = () => rootProject.declared.github.agentAccounts[0].id!;
  const ruleset = (d: DeclaredGithub, title: RegExp) => d.rulesets.find((r) => title.test(r.name))!;
  const environment = (d: DeclaredGithub, name: string) => d.environments.find((e) => e.environment === name)!;
  const acknowledge = (setting: string) => (text: string) =>
    `${text}  deploy-guardrails:githubAcknowledgedGaps:\n    - setting: ${setting}\n      reason: an attack the table must notice\n`;
  const rootJobs = (d: DeclaredGithub) =>
    Object.entries(rootProject.workflows).flatMap(([file, w]) =>
      Object.keys(w.jobs).map((id) => ({ who: `\`${file}\` \`${id}\``, workflow: w, id, declared: d })),
    );
  /** An agent that can merge into main starts the release, and the authority's approval of that run takes its code to prod. */
  const agentMerges = ["Merge a PR", "Change test state", "Change prod state", "Read prod secrets", "Change GitHub settings", "Deploy production"].map(
    (c) => `agent account: ${c}`,
  );
  const prod = (who: string) => ["Change prod state", "Read prod secrets", "Change GitHub settings", "Deploy production"].map((c) => `${who}: ${c}`);

  type Attack = [name: string, declared: () => DeclaredGithub, cells: string[]];
  const attacks: Attack[] = [
    [
      "a ruleset gives the agent a bypass of the merge restriction",
      () => {
        const d = clone(rootProject.declared);
        ruleset(d, /only the release authority merges/).bypassActors.push({ actorType: "User", actorId: agentId(), bypassMode: "always" });
        return d;
      },
      agentMerges,
    ],
    [
      "a ruleset lets the agent bypass the merge restriction when merging a pull request",
      () => {
        const d = clone(rootProject.declared);
        ruleset(d, /only the release authority merges/).bypassActors.push({ actorType: "User", actorId: agentId(), bypassMode: "pull_request" });
        return d;
      },
      agentMerges,
    ],
    [
      "every ruleset lets the agent bypass it",
      () => {
        const d = clone(rootProject.declared);
        for (const r of d.rulesets) r.bypassActors.push({ actorType: "User", actorId: agentId(), bypassMode: "always" });
        return d;
      },
      ["agent account: Push to main", ...agentMerges],
    ],
    [
      "code-owner review is dropped (githubAcknowledgedGaps codeOwnerReview): a second agent account's approval counts",
      () => withStack(rootProject, acknowledge("codeOwnerReview")),
      ["agent account: Approve a PR", "any write collaborator: Approve a PR"],
    ],
    [
      "code-owner review is dropped from the review ruleset",
      () => {
        const d = clone(rootProject.declared);
        (ruleset(d, /reviewed pull requests only/).rules.pullRequest as { requireCodeOwnerReview: boolean }).requireCodeOwnerReview = false;
        return d;
      },
      ["agent account: Approve a PR", "any write collaborator: Approve a PR"],
    ],
    [
      "CODEOWNERS names the agent as an owner of .github/",
      () =>
        withStack(
          rootProject,
          (t) => t,
          (owners) => owners.replace("/.github/ @release-captain", "/.github/ @release-captain @codex-agent"),
        ),
      ["agent account: Approve a PR"],
    ],
    [
      "the workflow permissions let GitHub Actions approve pull requests (canApprovePullRequestReviews: true)",
      () => {
        const d = clone(rootProject.declared);
        d.workflowPermissions!.canApprovePullRequestReviews = true;
        return d;
      },
      ["agent account: Approve a PR", "any write collaborator: Approve a PR", "`preview.yml` `preview`: Approve a PR"],
    ],
    [
      "the workflow permissions are not declared (githubAcknowledgedGaps workflowPermissions): the repository's own setting may let Actions approve",
      () => withStack(rootProject, acknowledge("workflowPermissions")),
      ["agent account: Approve a PR", "any write collaborator: Approve a PR", "`preview.yml` `preview`: Approve a PR"],
    ],
    [
      "one release authority with prevent self-review on (issue 12, point 10): nobody can approve the run their merge starts",
      () => {
        const d = clone(rootProject.declared);
        environment(d, "production").gate.preventSelfReview = true;
        return d;
      },
      prod("release authority"),
    ],
    [
      "the agent is a reviewer of production",
      () => {
        const d = clone(rootProject.declared);
        environment(d, "production").gate.reviewers![0].users!.push(agentId());
        return d;
      },
      prod("agent account"),
    ],
    [
      "production deploys from any branch: the authority's approval would run an agent's branch with prod's credentials",
      () => {
        const d = clone(rootProject.declared);
        environment(d, "production").branches = "any";
        return d;
      },
      [...prod("agent account"), ...prod("any write collaborator")],
    ],
    [
      "test deploys from a wildcard branch policy (issue 12, point 4)",
      () => {
        const d = clone(rootProject.declared);
        environment(d, "test").branches = ["*"];
        return d;
      },
      ["agent account: Change test state", "any write collaborator: Change test state"],
    ],
  ];

  describe("would be wrong if one declared setting changed (each attack flips exactly these cells)", () => {
    it("the committed settings give no difference", () => {
      assert.deepStrictEqual(differences(rootProject.declared, rootProject.workflows, rootJobs(rootProject.declared)), []);
    });
    for (const [name, declared, cells] of attacks) {
      it(name, () => {
        const d = declared();
        assert.deepStrictEqual(differences(d, rootProject.workflows, rootJobs(d)).sort(), [...cells].sort());
      });
    }

    it("an unprotected release branch the test stack deploys from (examples/003-f044 without releaseBranches: [dev]) lets agents change test state", () => {
      const f044 = all.find((p) => p.name === "003-f044")!;
      const d = withStack(f044, (text) => text.replace(/^ {2}deploy-guardrails:releaseBranches: \[dev\]\n/m, ""));
      assert.deepStrictEqual(d.github.releaseBranches, []);
      assert.deepStrictEqual(differences(d, f044.workflows, []).sort(), ["agent account: Change test state", "any write collaborator: Change test state"]);
    });
  });

  it("fails on main's workflows before this layout: up-test could change GitHub settings, and a prod preview without a reviewer read prod secrets", () => {
    const settings = repositorySettingsOf(rootProject.declared);
    const before = fixture("before/release.yml");
    const upTest = jobRows.find((r) => r.who === "`release.yml` `up-test`");
    assert.ok(upTest);
    assert.notDeepStrictEqual(jobCapabilities(before, "up-test", settings).can, upTest.can);
    assert.strictEqual(jobCapabilities(before, "up-test", settings).can["Change GitHub settings"], true);
    const previewProd = jobCapabilities(before, "preview-prod", settings);
    assert.deepStrictEqual(
      [previewProd.environment, previewProd.can["Read prod secrets"], previewProd.can["Change GitHub settings"]],
      ["production-readonly", true, true],
    );
  });

  it("would notice a job row that claims less than the workflow gives (the check can fail)", () => {
    const settings = repositorySettingsOf(rootProject.declared);
    const upProd = jobCapabilities(workflows["release.yml"], "up-prod", settings);
    assert.ok(upProd.can["Read prod secrets"] && upProd.can["Deploy production"] && upProd.can["Change GitHub settings"]);
    const row: CapabilityRow = jobRows.find((r) => r.who === "`release.yml` `up-prod`")!.can;
    assert.deepStrictEqual(row, upProd.can);
  });

  it("an undeclared environment a workflow binds counts as open to every branch (GitHub creates it unprotected)", () => {
    const w = parseWorkflow(fs.readFileSync(path.join(root, ".github", "workflows", "release.yml"), "utf8"));
    (w.jobs["up-test"] as { environment: string }).environment = "test-unprotected";
    const d = rootProject.declared;
    const derived = peopleRows(d, { ...rootProject.workflows, "release.yml": w });
    assert.strictEqual(derived["agent account"]["Change test state"], true);
  });
});
