import * as pulumi from "@pulumi/pulumi";
import { PlainRunError } from "../config/errors";
import { Settings } from "../config/parse";
import { apiBase } from "../config/token-reach-http";
import { PreparedPromotion, describePromotion, planPromotionOf, promotedProjects } from "../lib/promotion-plan";
import { previousPromotedState } from "../lib/promotion-records";
import { releaseSourceOf } from "./release-source";
import { PreparedRelease } from "../lib/release-plan";

/**
 * Decides, before any resource is registered, what this update makes live on Vercel production: a refusal throws
 * here (nothing changes), and the plan is printed so the preview says which commit goes live.
 */
export function preparePromotion(settings: Settings, release: PreparedRelease | undefined, projectDir: string): PreparedPromotion {
  const projects = promotedProjects(settings);
  const source = releaseSourceOf(projectDir);
  const production = previousPromotedState(release?.own ?? {});
  const plan = planPromotionOf(settings, { decision: release?.decision, source, tested: release?.tested, production });
  if (plan.kind === "refuse") throw new PlainRunError(plan.message);
  const base = apiBase("vercel", process.env);
  if (plan.kind !== "none" && "refused" in base) throw new PlainRunError(`${base.refused}. Nothing was changed.`);
  if (settings.isProd && projects.length > 0) void pulumi.log.info(describePromotion(plan, projects, production).join("\n"));
  return { plan, projects, production, source, apiUrl: "url" in base ? base.url : "" };
}
