/**
 * The people rows of docs/pipelines.md "Who can change what", derived from the GitHub settings a project declares
 * (declared-github.ts) by GitHub's documented rules (lib/github-approvals.ts), plus the workflow jobs each person can
 * get to run: a person reaches a job's capabilities when a branch they can update may deploy to the job's
 * environment and nobody needs to approve the run, or someone who may approve it does. Pure data in, plain rows out.
 */
import { GithubSettings } from "../../config/github";
import { githubPatternMatches } from "../../contracts/github-patterns";
import { EnvironmentGate, Person, PullRequest, canApproveDeployment, canMerge, canPushDirectly } from "../../lib/github-approvals";
import { ownersOf } from "../../lib/github-codeowners";
import { protectedBranches } from "../../lib/github-rulesets";
import { Capability, Workflow, capabilityColumns, environmentName, jobCapabilities } from "../../workflow-rules";
import { DeclaredEnvironment, DeclaredGithub, repositorySettingsOf } from "./declared-github";

export const personRoles = ["agent account", "any write collaborator", "release authority"] as const;
export type PersonRole = (typeof personRoles)[number];
export type CapabilityRow = Record<Capability, boolean>;

export interface CastMember {
  role: PersonRole;
  person: Person;
}

/** Ids no GitHub account of the committed stacks uses: a collaborator in no list, members of the authority's teams. */
const collaboratorId = 990000001;
const teamMemberBaseId = 990000100;

/**
 * Who the people rows stand for: every agent account of the prod stack (agents have write access), a write
 * collaborator in no list (an agent account nobody listed is one), every release authority and a member of each
 * release authority team. Nobody here is a repository administrator; administrators are bound by
 * `canAdminsBypass: false` and the rulesets' bypass lists (tests/unit/github-approvals.test.ts).
 */
export function castOf(github: GithubSettings): CastMember[] {
  const agents = github.agentAccounts.length > 0 ? github.agentAccounts : [{ login: "an-agent", id: undefined }];
  return [
    ...agents.map((a, i) => ({ role: "agent account" as const, person: { login: a.login, id: a.id ?? 990000002 + i, teams: [], admin: false } })),
    { role: "any write collaborator", person: { login: "any-write-collaborator", id: collaboratorId, teams: [], admin: false } },
    ...github.releaseAuthority.map((a) => ({ role: "release authority" as const, person: { login: a.login, id: a.id, teams: [], admin: false } })),
    ...github.releaseAuthorityTeams.map((t, i) => ({
      role: "release authority" as const,
      person: { login: `${t.slug}-member`, id: teamMemberBaseId + i, teams: [t.id], admin: false },
    })),
  ];
}

/** A guarded path: a pull request that edits its own workflow. */
export const guardedPath = ".github/workflows/release.yml";

/** A branch of the person's own, which no ruleset covers (`*` in a deployment branch policy matches it). */
export const ownBranch = (person: Person) => `${person.login.replace(/[^A-Za-z0-9-]/g, "-")}-work`;

/** GitHub's deployment branch patterns are the same fnmatch patterns the policy pack matches ruleset refs with. */
export const branchPatternMatches = githubPatternMatches;

export function admits(environment: Pick<DeclaredEnvironment, "branches">, branch: string): boolean {
  return environment.branches === "any" || environment.branches.some((p) => branchPatternMatches(p, branch));
}

const reviewed = (environment: Pick<DeclaredEnvironment, "gate">) =>
  (environment.gate.reviewers ?? []).some((r) => (r.users ?? []).length + (r.teams ?? []).length > 0);

function pullRequest(declared: DeclaredGithub, author: Person, approvers: Person[]): PullRequest {
  const owners = ownersOf(declared.codeowners, guardedPath) ?? [];
  return {
    author,
    approvers,
    touchesOwnedPaths: owners.length > 0,
    codeOwners: owners,
    teamSlugs: Object.fromEntries(declared.github.releaseAuthorityTeams.map((t) => [t.id, t.slug])),
    checksGreen: true,
  };
}

/** Whether `person` can merge some pull request into `branch` that everyone else approved, whoever wrote it. */
export function canMergeSome(declared: DeclaredGithub, branch: string, person: Person, people: Person[]): boolean {
  return people.some(
    (author) =>
      canMerge(
        declared.rulesets,
        branch,
        person,
        pullRequest(
          declared,
          author,
          people.filter((p) => p.id !== author.id),
        ),
      ).can,
  );
}

/** Whether `person`'s approval alone meets the review rules of a pull request someone else wrote that edits a guarded path (nobody's bypass counted). */
export function approvalCounts(declared: DeclaredGithub, person: Person, people: Person[]): boolean {
  const reviewRules = declared.rulesets.filter((r) => "pullRequest" in r.rules).map((r) => ({ ...r, bypassActors: [] }));
  return people.some(
    (author) => author.id !== person.id && canMerge(reviewRules, declared.github.productionBranch, person, pullRequest(declared, author, [person])).can,
  );
}

/** Branches `person` can put commits on: their own, and each protected or deploying branch they can push to or merge into. */
export function branchesOf(declared: DeclaredGithub, person: Person, people: Person[]): string[] {
  const named = declared.environments.flatMap((e) => (e.branches === "any" ? [] : e.branches.filter((b) => !/[*?[\]{}]/.test(b))));
  const candidates = [...new Set([...protectedBranches(declared.github), ...named])];
  return [ownBranch(person), ...candidates.filter((b) => canPushDirectly(declared.rulesets, b, person).can || canMergeSome(declared, b, person, people))];
}

/** Environments the workflows bind: the declared ones, and any other name as GitHub creates it (any branch, no reviewers). */
export function environmentsOf(
  declared: DeclaredGithub,
  workflows: Record<string, Workflow>,
): { environment: string | undefined; branches: string[] | "any"; gate: EnvironmentGate }[] {
  const bound = new Set(Object.values(workflows).flatMap((w) => Object.values(w.jobs).map(environmentName)));
  const undeclared = [...bound].filter((e): e is string => e !== undefined && !declared.environments.some((d) => d.environment === e));
  return [
    ...declared.environments,
    ...undeclared.map((environment) => ({ environment, gate: {}, branches: "any" as const })),
    // Jobs without an environment run from any branch, with the job token only.
    { environment: undefined, branches: "any" as const, gate: {} },
  ];
}

/**
 * Whether `person` can have a job of the environment run: on a branch they can update when nobody has to approve (or
 * someone else approves their run), or by approving a run someone else's update started.
 */
export function reaches(declared: DeclaredGithub, environment: Pick<DeclaredEnvironment, "branches" | "gate">, person: Person, people: Person[]): boolean {
  return people.some((trigger) => {
    if (!branchesOf(declared, trigger, people).some((b) => admits(environment, b))) return false;
    if (trigger.id === person.id && (!reviewed(environment) || people.some((a) => canApproveDeployment(environment.gate, a, trigger).can))) return true;
    return reviewed(environment) && canApproveDeployment(environment.gate, person, trigger).can;
  });
}

/** What the workflows' jobs bound to an environment (`undefined`: to none) can change, together. */
export function environmentCapabilities(workflows: Record<string, Workflow>, environment: string | undefined, declared: DeclaredGithub): CapabilityRow {
  const row = Object.fromEntries(capabilityColumns.map((c) => [c, false])) as CapabilityRow;
  for (const workflow of Object.values(workflows)) {
    for (const id of Object.keys(workflow.jobs)) {
      const job = jobCapabilities(workflow, id, repositorySettingsOf(declared));
      if (job.environment !== environment) continue;
      for (const c of capabilityColumns) row[c] ||= job.can[c];
    }
  }
  return row;
}

/** One person's row: what the rulesets let them do on the production branch, and what every job they can have run can change. */
export function personRow(declared: DeclaredGithub, workflows: Record<string, Workflow>, person: Person, people: Person[]): CapabilityRow {
  const main = declared.github.productionBranch;
  const row = Object.fromEntries(capabilityColumns.map((c) => [c, false])) as CapabilityRow;
  row["Push to main"] = canPushDirectly(declared.rulesets, main, person).can;
  row["Merge a PR"] = canMergeSome(declared, main, person, people);
  row["Approve a PR"] = approvalCounts(declared, person, people);
  for (const environment of environmentsOf(declared, workflows)) {
    if (!reaches(declared, environment, person, people)) continue;
    const can = environmentCapabilities(workflows, environment.environment, declared);
    for (const c of capabilityColumns) row[c] ||= can[c];
  }
  return row;
}

/** The people rows of a project: one per role, the same for every member of it, or an error naming who differs. */
export function peopleRows(declared: DeclaredGithub, workflows: Record<string, Workflow>): Record<PersonRole, CapabilityRow> {
  const cast = castOf(declared.github);
  const people = cast.map((c) => c.person);
  const rows = {} as Record<PersonRole, CapabilityRow>;
  for (const { role, person } of cast) {
    const row = personRow(declared, workflows, person, people);
    if (rows[role] && JSON.stringify(rows[role]) !== JSON.stringify(row))
      throw new Error(`${role}: ${person.login} can ${JSON.stringify(row)}, another ${role} ${JSON.stringify(rows[role])}`);
    rows[role] = row;
  }
  return rows;
}
