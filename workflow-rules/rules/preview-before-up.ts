import { WorkflowRule } from "../rule";
import { PulumiStep, Workflow, backendAndEnv, cannotStopTheJob, isApply, isPolicyPack, policyOf, pulumiSteps, stackBase, targetsOf } from "../workflow";

/**
 * Every `up` fails before it changes anything when a policy is violated. pulumi/actions applies through the
 * Automation API, which passes `--skip-preview`; then a mandatory violation stops only the violating resource,
 * after independent ones were already changed (measured with Pulumi 3.276.0: 11-20 of ~25 resources created).
 * The CLI's `pulumi up` without `--skip-preview` previews first and stops with nothing changed. So an `up` must
 * either follow, in its job, a full preview of the same stack with the same policy packs, backend and env that
 * cannot be skipped, or be a CLI `pulumi up --policy-pack …` without `--skip-preview`.
 */
export function previewBeforeUpViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const ops = pulumiSteps(job);
    for (const up of ops.filter((op) => isApply(op.command))) {
      const where = `jobs.${id}.steps[${up.index}]`;
      if (!up.viaAction && skipsPreview(up.args)) {
        out.push(
          `${where} runs \`pulumi ${up.command} --skip-preview\`: a policy violation would stop only the violating resource, after others were changed; drop --skip-preview`,
        );
        continue;
      }
      if (!up.viaAction && policyOf(up).packs.some(isPolicyPack)) continue; // the CLI's own preview runs the pack first
      if (typeof up.step.if === "string" && /\b(always|failure|cancelled)\s*\(/.test(up.step.if)) {
        out.push(`${where} runs \`pulumi ${up.command}\` with \`if: ${up.step.if}\`, so it runs even after its preview failed`);
      }
      const how = up.viaAction ? "through pulumi/actions, which skips the preview" : "without `--policy-pack`, so its own preview checks no policy";
      const previews = ops.filter((op) => op.command === "preview" && op.index < up.index && stackBase(op.stack) === stackBase(up.stack));
      const problems = previews.map((preview) => gateProblem(preview, up));
      if (previews.length === 0) {
        out.push(
          `${where} runs \`pulumi ${up.command}\` ${how}, with no \`pulumi preview\` of ${up.stack || "its stack"} before it in this job; a policy violation would stop only the violating resource, after others were changed`,
        );
      } else if (!problems.includes(undefined)) {
        out.push(
          `${where} runs \`pulumi ${up.command}\` ${how}, and the preview before it (steps[${previews[previews.length - 1].index}]) ${problems[problems.length - 1]}`,
        );
      }
    }
  }
  return out;
}

/** Why `preview` does not stop `up` on a policy violation, or undefined when it does. */
function gateProblem(preview: PulumiStep, up: PulumiStep): string | undefined {
  const skippable = cannotStopTheJob(preview.step);
  if (skippable) return skippable;
  const [p, u] = [policyOf(preview), policyOf(up)];
  if (!p.packs.some(isPolicyPack)) return "runs without the policy pack";
  if (JSON.stringify(p) !== JSON.stringify(u)) return "runs other policy packs or configs than the up";
  if (backendAndEnv(preview) !== backendAndEnv(up)) return "uses another `cloud-url` or `env` than the up";
  if (targetsOf(preview).length > 0 && targetsOf(up).length === 0) return "previews only its `--target`s, not everything the up changes";
  return undefined;
}

/** `--skip-preview` (or `-f`, alone or among other short flags), not `--skip-preview=false`. */
export function skipsPreview(args: string): boolean {
  return /--skip-preview(=true)?(?=\s|$)/.test(args) || /(?:^|\s)-[A-Za-z]*f[A-Za-z]*(?=\s|$)/.test(args);
}

export const previewBeforeUp: WorkflowRule = {
  name: "preview-before-up",
  description:
    "A `pulumi up` can change resources before a policy violation stops it: pulumi/actions skips the preview, so a " +
    "mandatory violation stops only the violating resource. Put a full `pulumi preview` of the same stack, policy " +
    "pack, backend and env right before it in the same job, with no `if:` or `continue-on-error`.",
  check: previewBeforeUpViolations,
};
