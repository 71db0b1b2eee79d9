/**
 * The production promotion as the program names it and the policy pack recognises it (docs/releases.md,
 * "Promotion"): one definition, so a renamed step cannot silently fall out of a policy.
 */
import { releaseStep } from "./release-steps";

/** The one command that points every managed Vercel project's production domains at the released commit's deployment. */
export const promotionStep = "vercel-promote";

/** What the promotion step must wait for in a release: the step that alone records the prod release as done. */
export const promotionWaitsFor = releaseStep.record;

/** The component the prod stack registers while it rolls production back (config deploy-guardrails:rollbackTo). */
export const rollbackType = "deploy-guardrails:vercel:VercelRollback";
export const rollbackName = "vercel-rollback";

/** A full git commit id, as GitHub and Vercel's git metadata (githubCommitSha) spell it. */
export const commitPattern = /^[0-9a-f]{40}$/;

/** A version tag a release may come from (seed 002: vX.Y.Z). */
export const releaseTagPattern = /^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
