import type { Settings } from "../config/parse";
import { commitPattern } from "../contracts/promotion";
import { ReleaseSource, tagProblem } from "./release-commit";
import { PromotedState } from "./promotion-records";
import { ReleaseDecision } from "./release-gate";

/**
 * What the prod stack makes live on Vercel in this update. The project shells never assign production domains by
 * themselves (autoAssignCustomDomains: false), so a merge only builds a staged production deployment; this decides
 * whether the release promotes one, and which.
 */
export type PromotionPlan =
  /** Nothing goes live: production keeps the deployment it has. */
  | { kind: "none"; reason: string }
  /** After the release record, promote the production deployment of `commit`: the commit whose release passed on test. */
  | { kind: "promote"; commit: string; tree?: string; tag?: string }
  /** Re-promote the production deployment of an earlier promoted commit; no release step runs. */
  | { kind: "rollback"; commit: string; reason: string }
  /** Refuse the whole update at preview, before anything changes. */
  | { kind: "refuse"; message: string };

export interface PromotionInput {
  stack: string;
  gateStack: string;
  /** The Vercel projects this stack promotes: its project shells connected to the GitHub repository. */
  projects: string[];
  decision?: ReleaseDecision;
  releaseFrom: "merge" | "tag";
  rollbackTo?: { commit: string; reason: string };
  source: ReleaseSource;
  /** The gate stack's passedCommit and passedTree: the commit its integration tests last passed on, and its tree. */
  testedCommit?: unknown;
  testedTree?: unknown;
  /** What this stack's last updates made live (its own outputs). */
  production: PromotedState;
}

const short = (commit: string) => commit.slice(0, 12);
const isCommit = (value: unknown): value is string => typeof value === "string" && commitPattern.test(value);

/** The promotion plan of a stack from its settings: the program (io/prepare-promotion.ts) and `npm run release-plan` both plan through this. */
export function planPromotionOf(
  settings: Settings,
  args: { decision?: ReleaseDecision; source: ReleaseSource; tested?: { passedCommit?: unknown; passedTree?: unknown }; production: PromotedState },
): PromotionPlan {
  return planPromotion({
    stack: settings.stack,
    gateStack: settings.releaseGateStack,
    projects: promotedProjects(settings),
    decision: args.decision,
    releaseFrom: settings.promotion.releaseFrom,
    rollbackTo: settings.promotion.rollbackTo,
    source: args.source,
    testedCommit: args.tested?.passedCommit,
    testedTree: args.tested?.passedTree,
    production: args.production,
  });
}

export function planPromotion(input: PromotionInput): PromotionPlan {
  const { decision, source } = input;
  if (input.projects.length === 0) {
    if (input.rollbackTo)
      return {
        kind: "refuse",
        message: `deploy-guardrails:rollbackTo is set, but the ${input.stack} stack promotes no Vercel project (it manages none connected to the GitHub repository), so there is nothing to roll back. Remove rollbackTo.`,
      };
    return { kind: "none", reason: "this stack promotes no Vercel project" };
  }
  if (decision?.kind === "rollback") {
    const target = decision.commit;
    const promoted = input.production.history;
    if (!promoted.includes(target)) {
      const known = promoted.length > 0 ? `it promoted ${promoted.slice(-5).map(short).join(", ")}` : "it has promoted nothing yet";
      return {
        kind: "refuse",
        message:
          `Refusing to roll back prod to commit ${target}: the ${input.stack} stack never made that commit live (${known}; \`pulumi stack output promotedCommits --stack ${input.stack}\` lists them all). ` +
          "A rollback re-promotes a production deployment that was live before and runs no migration; a commit that never went live has not been released with its database. Set deploy-guardrails:rollbackTo.commit to one of them.",
      };
    }
    return { kind: "rollback", commit: target, reason: decision.reason };
  }
  if (decision?.kind !== "release") {
    const why =
      decision?.kind === "break-glass" ? "break-glass releases nothing" : decision?.kind === "nothing" ? `no release: ${decision.reason}` : "no release";
    return { kind: "none", reason: why };
  }
  if (input.releaseFrom === "tag" && !source.tag) {
    return {
      kind: "refuse",
      message:
        `Refusing to release prod: it releases from version tags (deploy-guardrails:releaseFrom is tag), and this run releases no tag (RELEASE_TAG is not set). Nothing was changed. ` +
        "Tag the commit that passed on test (`git tag vX.Y.Z <commit> && git push origin vX.Y.Z`) and run the release workflow for it (Actions > release > Run workflow, input tag), " +
        "or set the repository variable RELEASE_FROM=tag so that merges do not start up-prod.",
    };
  }
  const tagged = tagProblem(source);
  if (tagged) return { kind: "refuse", message: `Refusing to release prod: ${tagged}. Nothing was changed.` };
  if (!source.commit) {
    return {
      kind: "refuse",
      message:
        "Refusing to release prod: this run cannot tell which commit it releases (no git work tree in the project folder and no GITHUB_SHA), so it cannot tell which production deployment to make live. " +
        "Run it from a git checkout of the commit that passed on test. Nothing was changed.",
    };
  }
  const what = source.tag ? `the tag ${source.tag} (commit ${source.commit})` : `commit ${source.commit}`;
  if (!isCommit(input.testedCommit)) {
    return {
      kind: "refuse",
      message:
        `Refusing to release prod: ${input.gateStack} recorded no commit for the release that passed (its output passedCommit), so prod cannot tell which production deployment ran with it. ` +
        `Its integration tests last ran without a git checkout or GITHUB_SHA, or before deploy-guardrails recorded commits. Run \`pulumi up --stack test\` on ${what} (the release workflow's up-test does), then release prod again. Nothing was changed.`,
    };
  }
  // The same code: the same tree when both are known (a merge of the tested branch is another commit), else the same commit.
  const sameCode = source.tree && isCommit(input.testedTree) ? source.tree === input.testedTree : input.testedCommit === source.commit;
  if (!sameCode) {
    const fix = source.tag
      ? `Release a tag of the commit that passed (\`git tag vX.Y.Z ${input.testedCommit} && git push origin vX.Y.Z\`), or let test pass ${source.commit} first.`
      : `Run \`pulumi up --stack test\` on ${source.commit} first (a merge's release workflow does), or release from a checkout of ${input.testedCommit}.`;
    return {
      kind: "refuse",
      message:
        `Refusing to release ${what} to prod: the release that passed on ${input.gateStack} ran on commit ${input.testedCommit}${source.tree && isCommit(input.testedTree) ? `, whose tree ${input.testedTree} is not this checkout's (${source.tree})` : ""}. ` +
        `Prod makes live only the commit whose release passed on test, so the app it promotes is the one tested with its database. ${fix} Nothing was changed.`,
    };
  }
  return { kind: "promote", commit: source.commit, ...(source.tree ? { tree: source.tree } : {}), ...(source.tag ? { tag: source.tag } : {}) };
}

/** The plan as the lines a preview prints and the release plan shows the reviewers. */
export function describePromotion(plan: PromotionPlan, projects: string[], production: PromotedState): string[] {
  const names = projects.join(", ");
  const live = production.commit ? `commit ${production.commit}` : "the production deployment it has now";
  switch (plan.kind) {
    case "promote":
      return [
        `  then makes ${plan.tag ? `${plan.tag} (commit ${plan.commit})` : `commit ${plan.commit}`} live: promotes its production deployment of ${names}, after supabase-release-record, all together`,
      ];
    case "rollback":
      return [
        `ROLLBACK (${plan.reason}): re-promotes the production deployment of commit ${plan.commit} in ${names} (live now: ${live}). No migration, function deploy or function secret runs. Remove deploy-guardrails:rollbackTo in the pull request that fixes the app.`,
      ];
    case "none":
      return [`  production stays on ${live} (${plan.reason})`];
    case "refuse":
      return [`  ${plan.message}`];
  }
}

export interface PreparedPromotion {
  plan: PromotionPlan;
  /** The Vercel projects this stack promotes (by config name). */
  projects: string[];
  /** What production served after this stack's last update. */
  production: PromotedState;
  source: ReleaseSource;
  /** Where the promotion step calls Vercel. */
  apiUrl: string;
}

/**
 * The Vercel projects a stack makes live by itself: a prod stack's project shells, when they are connected to the
 * repository (Vercel then builds every merge) and a release decides what goes live.
 */
export function promotedProjects(settings: Pick<Settings, "isProd" | "supabase" | "github" | "vercel">): string[] {
  if (!settings.isProd || !settings.supabase || !settings.github) return [];
  return (settings.vercel?.projects ?? []).map((p) => p.name);
}
