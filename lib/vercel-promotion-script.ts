/**
 * The script of the promotion step (components/vercelPromotion.ts): plain JavaScript that `node -e` runs with a
 * cleared environment, talking to the Vercel REST API with fetch. Its text is the compiled form of the function
 * below, so it is part of the step's inputs (in the state and in every diff, like the other steps' scripts), and
 * changing it re-runs the step. The function must stay self-contained: no imports, nothing from this module's scope.
 *
 * What it does, in this order (docs/releases.md, "Promotion"):
 * 1. a release: refuses unless supabase-release-record recorded this release (RELEASE_RECORD), so a targeted or
 *    excluded update cannot promote a release whose steps did not run;
 * 2. finds, for every project, the newest READY production deployment Vercel built from COMMIT (meta githubCommitSha),
 *    waiting up to WAIT_SECONDS for a build in progress; a failed build, or none at all, promotes nothing;
 * 3. points every project's production domains at it (POST /v10/projects/{id}/promote/{deployment}; a rollback uses
 *    POST /v1/projects/{id}/rollback/{deployment}) and waits until Vercel reports it done (targets.production,
 *    lastAliasRequest). All projects go live together: when one fails, the ones already moved are put back;
 * 4. prints one record per project (`promoted <project> <deployment> <commit>`) and `live <commit>`.
 * Tools' messages go to stderr (kept only as a secret output); the token goes in the Authorization header only, and
 * no answer body is printed beyond Vercel's error code and message.
 */

import { shellQuote } from "./commands";

/* eslint-disable @typescript-eslint/no-explicit-any */
async function promoteProduction(env: Record<string, string | undefined>): Promise<void> {
  const prefix = "deploy-guardrails-record:";
  const api = String(env.VERCEL_API_URL);
  const teamQuery = env.VERCEL_TEAM_ID ? `teamId=${encodeURIComponent(env.VERCEL_TEAM_ID)}` : "";
  const projects: { name: string; id: string }[] = JSON.parse(String(env.PROJECTS));
  const commit = String(env.COMMIT);
  const rollback = env.MODE === "rollback";
  const waitMs = Number(env.WAIT_SECONDS) * 1000;
  const pollMs = 3000;
  const say = (line: string) => process.stderr.write(`deploy-guardrails: ${line}\n`);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const fail = (message: string): never => {
    throw new Error(message);
  };

  async function call(method: "GET" | "POST", path: string, query = ""): Promise<{ status: number; body: any }> {
    const search = [query, teamQuery].filter((q) => q !== "").join("&");
    let response: Response;
    try {
      response = await fetch(`${api}${path}${search ? `?${search}` : ""}`, {
        method,
        headers: {
          Authorization: `Bearer ${env.VERCEL_TOKEN}`,
          Accept: "application/json",
          ...(method === "POST" ? { "Content-Type": "application/json" } : {}),
        },
        body: method === "POST" ? "{}" : undefined,
        redirect: "error",
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      return fail(`the Vercel API did not answer ${method} ${path} (${(e as any)?.cause?.code ?? (e as Error).name}); nothing more was changed`);
    }
    const text = await response.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  }
  const answer = (r: { status: number; body: any }) =>
    `${r.status}${r.body?.error?.code ? ` ${r.body.error.code}: ${String(r.body.error.message ?? "").slice(0, 300)}` : ""}`;
  const stateOf = (d: any) => String(d.readyState ?? d.state ?? "");
  const idOf = (d: any) => String(d.uid ?? d.id);

  if (!rollback) {
    const recorded = `${prefix} released ${env.RELEASE_ID}`;
    if (
      !String(env.RELEASE_RECORD ?? "")
        .split("\n")
        .includes(recorded)
    ) {
      fail(
        `refusing to promote commit ${commit}: supabase-release-record has not recorded ${env.RELEASE_ID} as released in this update or an earlier one, so the prod release of this commit did not finish. ` +
          "Production keeps its deployment. Run a full `pulumi up --stack prod` (no --target, --exclude or --continue-on-error).",
      );
    }
  }

  /** The production deployments Vercel built from the commit, newest first; and whether the project has any at all. */
  async function deploymentsOf(project: { name: string; id: string }): Promise<{ found: any[]; any: boolean }> {
    const found: any[] = [];
    let any = false;
    let until = "";
    for (let page = 0; page < 20; page++) {
      const r = await call(
        "GET",
        "/v6/deployments",
        `projectId=${encodeURIComponent(project.id)}&target=production&limit=100${until ? `&until=${until}` : ""}`,
      );
      if (r.status !== 200) fail(`cannot list the production deployments of ${project.name}: Vercel answered ${answer(r)}; nothing was promoted`);
      const list: any[] = Array.isArray(r.body?.deployments) ? r.body.deployments : [];
      any ||= list.length > 0;
      found.push(...list.filter((d) => d?.meta?.githubCommitSha === commit));
      const next = r.body?.pagination?.next;
      if (list.length === 0 || !next) break;
      until = String(next);
    }
    return { found, any };
  }

  const targets: Record<string, string> = {};
  // A project added after the commit was pushed has no production deployment at all: nothing of it is live, so
  // nothing can go live early; its first build (of the next merge) stays staged and goes live with the next release.
  const notYetBuilt: string[] = [];
  const buildDeadline = Date.now() + waitMs;
  for (;;) {
    const waiting: string[] = [];
    for (const project of projects) {
      if (targets[project.name] || notYetBuilt.includes(project.name)) continue;
      const { found, any } = await deploymentsOf(project);
      if (!any && !rollback) {
        notYetBuilt.push(project.name);
        say(`${project.name} has no production deployment yet (it was added after commit ${commit} was pushed): it goes live with the next release`);
        continue;
      }
      const ready = found.find((d) => stateOf(d) === "READY");
      if (ready) {
        targets[project.name] = idOf(ready);
        continue;
      }
      const building = found.find((d) => ["BUILDING", "QUEUED", "INITIALIZING"].includes(stateOf(d)));
      if (!building && found.length > 0) {
        fail(
          `Vercel's production build of commit ${commit} for ${project.name} is ${stateOf(found[0])} (${idOf(found[0])}): nothing was promoted, production keeps its deployments. Fix the build, merge, and release that commit.`,
        );
      }
      if (rollback && !building) {
        fail(
          `${project.name} has no READY production deployment of commit ${commit} any more (deleted by hand, or by the project's deployment retention): nothing was rolled back. Roll back to another commit, or release a fix.`,
        );
      }
      waiting.push(`${project.name}: ${building ? `building (${idOf(building)})` : "no deployment of it yet"}`);
    }
    if (waiting.length === 0) break;
    if (Date.now() >= buildDeadline) {
      fail(
        `Vercel has no READY production deployment of commit ${commit} after ${env.WAIT_SECONDS} s (${waiting.join("; ")}): nothing was promoted, production keeps its deployments. ` +
          "Vercel builds a commit of the production branch when it is pushed there. If it was pushed before the project was connected, or its build was skipped, redeploy that commit to production in Vercel (it stays staged: the project does not assign its domains by itself), then release again.",
      );
    }
    say(`waiting for Vercel to build commit ${commit}: ${waiting.join("; ")}`);
    await sleep(pollMs);
  }

  async function productionOf(project: { name: string; id: string }): Promise<{ current?: string; job?: any }> {
    const r = await call("GET", `/v9/projects/${encodeURIComponent(project.id)}`);
    if (r.status !== 200) fail(`cannot read the project ${project.name}: Vercel answered ${answer(r)}`);
    return { current: r.body?.targets?.production?.id, job: r.body?.lastAliasRequest };
  }
  const previous: Record<string, string | undefined> = {};
  for (const project of projects) previous[project.name] = (await productionOf(project)).current;

  /** Points the project's production domains at the deployment and waits until Vercel says it is done; a problem, or undefined. */
  async function move(project: { name: string; id: string }, deployment: string, how: "promote" | "rollback"): Promise<string | undefined> {
    const path =
      how === "rollback"
        ? `/v1/projects/${encodeURIComponent(project.id)}/rollback/${encodeURIComponent(deployment)}`
        : `/v10/projects/${encodeURIComponent(project.id)}/promote/${encodeURIComponent(deployment)}`;
    const r = await call("POST", path);
    if (r.status < 200 || r.status > 202) return `Vercel refused to ${how} ${deployment}: ${answer(r)}`;
    const deadline = Date.now() + Math.max(waitMs, 60_000);
    for (;;) {
      const { current, job } = await productionOf(project);
      const ours = job && job.toDeploymentId === deployment;
      if (ours && job.jobStatus === "failed") return `Vercel's ${how} job to ${deployment} failed`;
      if (current === deployment && (!ours || job.jobStatus === "succeeded")) return undefined;
      if (Date.now() >= deadline) return `the production domains did not move to ${deployment} within ${Math.round(Math.max(waitMs, 60_000) / 1000)} s`;
      await sleep(pollMs);
    }
  }

  const moved: { name: string; id: string }[] = [];
  let failure: string | undefined;
  for (const project of projects) {
    if (!targets[project.name] || previous[project.name] === targets[project.name]) continue;
    const problem = await move(project, targets[project.name], rollback ? "rollback" : "promote");
    if (problem) {
      failure = `${project.name}: ${problem}`;
      break;
    }
    moved.push(project);
  }
  if (failure) {
    // All projects go live together or none does: put back the ones already moved.
    const restored: string[] = [];
    const stuck: string[] = [];
    for (const project of moved) {
      const before = previous[project.name];
      if (before && (await move(project, before, "rollback")) === undefined) restored.push(project.name);
      else stuck.push(project.name);
    }
    fail(
      `making commit ${commit} live failed (${failure}).` +
        (restored.length > 0 ? ` Put back on their previous production deployments: ${restored.join(", ")}.` : "") +
        (stuck.length > 0 ? ` COULD NOT PUT BACK ${stuck.join(", ")}, which now serve commit ${commit}: use Instant Rollback in Vercel's dashboard.` : "") +
        " The other projects keep their production deployments.",
    );
  }
  for (const project of projects) if (targets[project.name]) process.stdout.write(`${prefix} promoted ${project.name} ${targets[project.name]} ${commit}\n`);
  process.stdout.write(`${prefix} live ${commit}\n`);
}

/** The step's script: `node -e` of the function above. */
export function promotionScript(): string {
  return `exec node -e ${shellQuote(`(${promoteProduction.toString()})(process.env).catch((e) => { process.stderr.write("deploy-guardrails: " + e.message + "\\n"); process.exit(1); });`)}`;
}
