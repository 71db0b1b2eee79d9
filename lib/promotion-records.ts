import { commitPattern } from "../contracts/promotion";
import { recordLines } from "./release-evidence";

/** What production serves, as the promotion step recorded it (and the stack outputs productionCommit, productionDeployments, promotedCommits). */
export interface PromotedState {
  /** The commit every promoted project serves, or "" before the first promotion. */
  commit: string;
  /** Each project's production deployment, as the last promotion left it. */
  deployments: Record<string, string>;
  /** Every commit this stack made live, oldest first. */
  history: string[];
}

const deploymentId = /^dpl_[A-Za-z0-9]+$/;
const projectName = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The state after a promotion step's run, from its stdout: `promoted <project> <deployment> <commit>` per project and
 * `live <commit>`. Anything not of that shape is ignored; a stdout without a `live` record (the step never finished)
 * leaves what the stack recorded before.
 */
export function promotedStateOf(stdout: string | undefined, previous: PromotedState): PromotedState {
  let live: string | undefined;
  const deployments: Record<string, string> = {};
  for (const { kind, values } of recordLines(stdout)) {
    if (kind === "live" && values.length === 1 && commitPattern.test(values[0])) live = values[0];
    if (kind === "promoted" && values.length === 3 && projectName.test(values[0]) && deploymentId.test(values[1]) && commitPattern.test(values[2]))
      deployments[values[0]] = values[1];
  }
  if (!live) return previous;
  return { commit: live, deployments, history: withPromoted(previous.history, live) };
}

/** The state as this stack's last outputs hold it. */
export function previousPromotedState(own: { productionCommit?: unknown; productionDeployments?: unknown; promotedCommits?: unknown }): PromotedState {
  const commit = typeof own.productionCommit === "string" && commitPattern.test(own.productionCommit) ? own.productionCommit : "";
  const deployments: Record<string, string> = {};
  if (typeof own.productionDeployments === "object" && own.productionDeployments !== null) {
    for (const [name, id] of Object.entries(own.productionDeployments))
      if (projectName.test(name) && typeof id === "string" && deploymentId.test(id)) deployments[name] = id;
  }
  const history = Array.isArray(own.promotedCommits) ? own.promotedCommits.filter((c): c is string => typeof c === "string" && commitPattern.test(c)) : [];
  return { commit, deployments, history };
}

/** The history after `commit` went live: each commit once, the latest last, at most `keep` of them. */
export function withPromoted(history: string[], commit: string, keep = 50): string[] {
  return [...history.filter((c) => c !== commit), commit].slice(-keep);
}
