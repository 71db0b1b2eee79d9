import * as fs from "fs";
import { settingsFromStackFiles } from "../config/stack-file";
import { releaseContentsOf } from "../io/prepare-release";
import { describePromotion, planPromotionOf, promotedProjects } from "../lib/promotion-plan";
import { previousPromotedState } from "../lib/promotion-records";
import { releaseSourceOf } from "../io/release-source";
import { describeRelease, planReleaseOf, readsReleaseGate } from "../lib/release-plan";
import { argument, fail, stackOutputs } from "./release/cli";

/**
 * `npm run release-plan -- --stack prod [--summary <file>]`: what a release of the stack would run, for the release
 * authority to read before approving, without the stack's passphrase: the gate decision (prod), the migrations it
 * applies and the functions it deploys. Exits 1 when prod would refuse the release, so nobody is asked to approve it.
 */
function main() {
  const root = argument("project") ?? process.cwd();
  const stack = argument("stack") ?? fail("usage: npm run release-plan -- --stack <stack> [--summary <file>]");
  const settings = settingsFromStackFiles(root, stack);
  const contents = releaseContentsOf(settings, root);
  if (!settings.supabase || !contents) {
    console.log(`${stack} has no release steps (enableSupabaseRelease is false).`);
    return;
  }
  const own = stackOutputs(stack, root);
  const tested = readsReleaseGate(settings) ? stackOutputs(settings.releaseGateStack, root) : undefined;
  const plan = planReleaseOf({ ...settings, supabase: settings.supabase }, contents, own, tested);
  const lines = describeRelease(plan.summary);
  // What goes live on Vercel after the release, by the same decision the program makes (io/prepare-promotion.ts).
  const projects = promotedProjects(settings);
  const production = previousPromotedState(own);
  const promotion =
    plan.decision?.kind === "refuse" || projects.length === 0
      ? undefined
      : planPromotionOf(settings, { decision: plan.decision, source: releaseSourceOf(root), tested, production });
  if (promotion) lines.push(...describePromotion(promotion, projects, production));
  console.log(lines.join("\n"));
  const summaryFile = argument("summary");
  if (summaryFile)
    fs.appendFileSync(summaryFile, `## Release plan of ${stack}\n\n${lines.map((l) => (l.startsWith("  ") ? `- ${l.trim()}` : l)).join("\n")}\n\n`);
  if (plan.decision?.kind === "refuse" || promotion?.kind === "refuse") process.exit(1);
}

try {
  main();
} catch (error) {
  fail((error as Error).message);
}
