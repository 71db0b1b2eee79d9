/**
 * docs/pipelines.md, "Who can change what": the table is parsed, every workflow job (the examples' included) has
 * exactly one row, and each job row says what the workflow gives that job (workflow-rules/capabilities.ts). The
 * people rows are held to the target below until they can be derived from the declared GitHub settings.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Capability, RepositorySettings, Workflow, capabilityColumns, jobCapabilities, parseWorkflow } from "../../workflow-rules";
import { fixture } from "./fixtures";

const root = path.resolve(__dirname, "..", "..");

/** `release.yml` for .github/workflows, `001-mano/release-staging.yml` for an example's. */
function loadWorkflows(): Record<string, Workflow> {
  const found: Record<string, Workflow> = {};
  const add = (dir: string, prefix: string) => {
    for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) found[`${prefix}${f}`] = parseWorkflow(fs.readFileSync(path.join(dir, f), "utf8"));
  };
  add(path.join(root, ".github", "workflows"), "");
  for (const example of fs.readdirSync(path.join(root, "examples"))) {
    const dir = path.join(root, "examples", example, ".github", "workflows");
    if (fs.existsSync(dir)) add(dir, `${example}/`);
  }
  return found;
}

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
  const header = table[0].split("|").slice(1, -1).map((c) => c.trim());
  assert.deepStrictEqual(header, ["Who", "Environment", ...capabilityColumns], "the table's columns");
  return table.slice(2).map((line) => {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
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

/**
 * TODO(wp-github): the repository settings the prod stack declares (WorkflowRepositoryPermissions and friends), read
 * from the program's plan once the GitHub settings work lands. Until then, the target: GitHub Actions may not
 * approve pull requests.
 */
function declaredRepositorySettings(): RepositorySettings {
  return { actionsCanApprovePullRequests: false };
}

const no = Object.fromEntries(capabilityColumns.map((c) => [c, false])) as Record<Capability, boolean>;
const all = Object.fromEntries(capabilityColumns.map((c) => [c, true])) as Record<Capability, boolean>;

/** The target for people: agents and other write collaborators change nothing; the release authority merges, approves and releases, through pull requests. */
const peopleTarget: Record<string, Record<Capability, boolean>> = {
  "agent account": no,
  "any write collaborator": no,
  "release authority": { ...all, "Push to main": false },
};

describe('docs/pipelines.md "Who can change what"', () => {
  const rows = parseWhoCanChangeWhat(fs.readFileSync(path.join(root, "docs", "pipelines.md"), "utf8"));
  const workflows = loadWorkflows();
  const jobRows = rows.filter((r) => r.who.startsWith("`"));
  const keyOf = (who: string) => {
    const m = /^`([\w./-]+\.ya?ml)` `([\w-]+)`$/.exec(who);
    assert.ok(m, `a job row names \`<workflow file>\` \`<job>\`: ${who}`);
    return { file: m[1], id: m[2] };
  };

  it("has one row per workflow job, and none for a job that does not exist", () => {
    const inTable = jobRows.map((r) => `${keyOf(r.who).file} ${keyOf(r.who).id}`).sort();
    const inWorkflows = Object.entries(workflows)
      .flatMap(([file, w]) => Object.keys(w.jobs).map((id) => `${file} ${id}`))
      .sort();
    assert.deepStrictEqual(inTable, inWorkflows);
  });

  it("says, for every job, the environment and what the workflow lets it change", () => {
    const settings = declaredRepositorySettings();
    for (const row of jobRows) {
      const { file, id } = keyOf(row.who);
      const derived = jobCapabilities(workflows[file], id, settings);
      assert.strictEqual(row.environment, derived.environment ?? "none", `${row.who}: environment`);
      assert.deepStrictEqual(row.can, derived.can, `${row.who}: the table says ${JSON.stringify(row.can)}, the workflow gives ${JSON.stringify(derived.can)}`);
    }
  });

  it("keeps production the only place that reads prod secrets, changes GitHub settings or deploys production", () => {
    for (const row of jobRows) {
      if (row.can["Read prod secrets"] || row.can["Change GitHub settings"] || row.can["Deploy production"]) assert.strictEqual(row.environment, "production", row.who);
    }
  });

  it("holds the people rows to the target (agents and write collaborators change nothing)", () => {
    const people = rows.filter((r) => !r.who.startsWith("`"));
    assert.deepStrictEqual(
      people.map((r) => r.who),
      Object.keys(peopleTarget),
    );
    for (const row of people) {
      assert.strictEqual(row.environment, "none", row.who);
      assert.deepStrictEqual(row.can, peopleTarget[row.who], row.who);
    }
  });

  // TODO(wp-github): derive the people rows from the prod stack's declared GitHub settings (rulesets and their bypass
  // actors, code-owner review, CODEOWNERS, WorkflowRepositoryPermissions, the production environment's reviewers),
  // as pure data from the program's plan, and compare them with the table here.
  it("TODO(wp-github): the people rows follow from the declared GitHub settings");

  it("fails on main's workflows before this layout: up-test could change GitHub settings, and a prod preview without a reviewer read prod secrets", () => {
    const settings = declaredRepositorySettings();
    const before = fixture("before/release.yml");
    const upTest = jobRows.find((r) => r.who === "`release.yml` `up-test`");
    assert.ok(upTest);
    assert.notDeepStrictEqual(jobCapabilities(before, "up-test", settings).can, upTest.can);
    assert.strictEqual(jobCapabilities(before, "up-test", settings).can["Change GitHub settings"], true);
    const previewProd = jobCapabilities(before, "preview-prod", settings);
    assert.deepStrictEqual([previewProd.environment, previewProd.can["Read prod secrets"], previewProd.can["Change GitHub settings"]], ["production-readonly", true, true]);
  });

  it("would notice a job row that claims less than the workflow gives (the check can fail)", () => {
    const settings = declaredRepositorySettings();
    const upProd = jobCapabilities(workflows["release.yml"], "up-prod", settings);
    assert.ok(upProd.can["Read prod secrets"] && upProd.can["Deploy production"] && upProd.can["Change GitHub settings"]);
    const withApproval = jobCapabilities(workflows["preview.yml"], "preview", { actionsCanApprovePullRequests: true });
    assert.strictEqual(withApproval.can["Approve a PR"], true, "with the setting on, the preview's job token could approve");
  });
});
