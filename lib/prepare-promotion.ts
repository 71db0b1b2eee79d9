import * as pulumi from "@pulumi/pulumi";
import { PlainRunError } from "../config/errors";
import { Settings } from "../config/parse";
import { apiBase } from "../config/token-reach-http";
import { PreparedRelease } from "./prepare-release";
import { PromotionPlan, describePromotion, planPromotion } from "./promotion-plan";
import { PromotedState, previousPromotedState } from "./promotion-records";
import { ReleaseSource, releaseSourceOf } from "./release-commit";

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
export function promotedProjects(settings: Settings): string[] {
  if (!settings.isProd || !settings.supabase || !settings.github) return [];
  return (settings.vercel?.projects ?? []).map((p) => p.name);
}

/**
 * Decides, before any resource is registered, what this update makes live on Vercel production: a refusal throws
 * here (nothing changes), and the plan is printed so the preview says which commit goes live.
 */
export function preparePromotion(settings: Settings, release: PreparedRelease | undefined, projectDir: string): PreparedPromotion {
  const projects = promotedProjects(settings);
  const source = releaseSourceOf(projectDir);
  const production = previousPromotedState(release?.own ?? {});
  const plan = planPromotion({
    stack: settings.stack,
    gateStack: settings.releaseGateStack,
    projects,
    decision: release?.decision,
    releaseFrom: settings.promotion.releaseFrom,
    rollbackTo: settings.promotion.rollbackTo,
    source,
    testedCommit: release?.tested?.passedCommit,
    testedTree: release?.tested?.passedTree,
    production,
  });
  if (plan.kind === "refuse") throw new PlainRunError(plan.message);
  const base = apiBase("vercel", process.env);
  if (plan.kind !== "none" && "refused" in base) throw new PlainRunError(`${base.refused}. Nothing was changed.`);
  if (settings.isProd && projects.length > 0) void pulumi.log.info(describePromotion(plan, projects, production).join("\n"));
  return { plan, projects, production, source, apiUrl: "url" in base ? base.url : "" };
}
