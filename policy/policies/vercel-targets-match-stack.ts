import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { isProdStack, stackFromUrn } from "../lib/stack";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";
import { describeVariable, isVercelVariableType, vercelVariables } from "../lib/vercel-variables";

export interface VercelTargetsConfig {
  prodStacks: string[];
}

const production = "production";

/**
 * Non-prod stacks never write Vercel's `production` target; the prod stack writes `production` only, so a prod value
 * never reaches Preview or Development deployments (which the test stack points at the test project).
 */
export const vercelTargetsMatchStack: ResourceValidationPolicy = {
  name: "vercel-targets-match-stack",
  description:
    "A Vercel variable targets the wrong environments for this stack. In a non-prod stack use only the preview and " +
    'development targets; in the prod stack use targets ["production"] only, with no git branch or custom environment, ' +
    "so prod values never reach Preview or Development.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: { properties: { prodStacks: schema.prodStacks } },
  validateResource: (args, reportViolation) => {
    if (!isVercelVariableType(args.type)) return;
    const config = withDefaults(args.getConfig<Partial<VercelTargetsConfig>>(), { prodStacks: defaults.prodStacks });
    const prod = isProdStack(args.urn, config.prodStacks);
    const stack = stackFromUrn(args.urn);
    const unknowns = new UnknownReads();
    const variables = vercelVariables(args.type, args.props, unknowns);
    if (variables === UNKNOWN) return unknowns.deferToUpdate();
    for (const v of variables) {
      const what = describeVariable(v);
      const { targets, customEnvironmentIds, gitBranch } = v;
      if (targets === UNKNOWN) continue;
      const hasCustom = customEnvironmentIds !== UNKNOWN && (customEnvironmentIds?.length ?? 0) > 0;
      if (!prod) {
        if (targets?.includes(production)) {
          reportViolation(
            `${what} targets production, but "${stack}" is not the prod stack. Target preview and/or development; only the prod stack writes production.`,
          );
        } else if ((targets === undefined || targets.length === 0) && !hasCustom) {
          reportViolation(`${what} names no targets. Set targets explicitly to preview and/or development, so it cannot reach production.`);
        }
        continue;
      }
      if (targets === undefined || targets.length === 0) {
        reportViolation(`${what} names no targets in the prod stack. Set targets: ["production"].`);
      } else if (targets.some((t) => t !== production)) {
        reportViolation(
          `${what} in the prod stack also targets ${targets.filter((t) => t !== production).join(", ")}. Set targets: ["production"]; Preview and Development get test values from the test stack.`,
        );
      }
      if (hasCustom) {
        reportViolation(`${what} in the prod stack targets custom environments. Remove customEnvironmentIds; prod values go to production only.`);
      }
      if (gitBranch !== UNKNOWN && gitBranch !== undefined && gitBranch !== "") {
        reportViolation(`${what} in the prod stack is tied to a git branch, which only Preview uses. Remove gitBranch.`);
      }
    }
    unknowns.deferToUpdate();
  },
};
