import { z } from "zod";
import { RawConfig } from "./raw";
import { Tier } from "./schema";
import { commitPattern } from "../contracts/promotion";

/** How the prod stack makes a release's app code live (docs/releases.md, "Promotion", "Tags", "Rollback"). */
export interface PromotionSettings {
  /** `merge`: a release of the commit that passed on test, whatever started it; `tag`: only from a version tag of that commit. */
  releaseFrom: "merge" | "tag";
  /** Re-promote the production deployment of an earlier released commit; no release step runs. */
  rollbackTo?: { commit: string; reason: string };
  /** How long the promotion waits for Vercel to finish building the commit, and then for the domains to move. */
  waitSeconds: number;
}

export const promotionKeys = ["releaseFrom", "rollbackTo", "promotionWaitSeconds"];

const reason = z.string().trim().min(8, "must say why, in a few words (at least 8 characters)").max(500);
const commit = z.string().regex(commitPattern, "must be a full commit id: 40 lowercase hex digits, as `git rev-parse <ref>` prints it");

export function parsePromotion(raw: RawConfig, tier: Tier | undefined, breakGlass: string | undefined): PromotionSettings | undefined {
  const releaseFrom = raw.read("releaseFrom", z.enum(["merge", "tag"]).default("merge"), "tag");
  // Pulumi.yaml declares {} as the default: an empty object means "not set".
  const rollbackTo =
    raw.get("rollbackTo")?.trim() === "{}"
      ? undefined
      : raw.read(
          "rollbackTo",
          z.object({ commit, reason }).strict().optional(),
          '{"commit":"<the 40-digit id of a commit prod released before>","reason":"checkout broken since v1.4.0 (INC-51)"}',
          true,
        );
  const waitSeconds = raw.read("promotionWaitSeconds", z.coerce.number().int().min(0).max(3600).default(900), "900");
  if (tier && tier !== "prod") {
    if (releaseFrom === "tag")
      raw.issues.push({
        key: "releaseFrom",
        problem: `is set on the ${tier} tier; only prod releases from tags, test releases every merge it is given`,
        example: "set it in the prod stack",
      });
    if (rollbackTo)
      raw.issues.push({
        key: "rollbackTo",
        problem: `is set on the ${tier} tier; only prod promotes production deployments`,
        example: "set it in the prod stack",
      });
  }
  if (rollbackTo && breakGlass) {
    raw.issues.push({
      key: "rollbackTo",
      problem: "is set together with breakGlass; a rollback already runs no release step, so set one of them",
      example: "remove deploy-guardrails:breakGlass",
    });
  }
  if (!releaseFrom || waitSeconds === undefined) return undefined;
  return { releaseFrom, rollbackTo, waitSeconds };
}
