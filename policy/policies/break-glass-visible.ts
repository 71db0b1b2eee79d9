import { StackValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { isProdStack } from "../lib/stack";
import { matchesName } from "./release-commands-gated";
import { breakGlassType, releaseCommandPatterns, releaseStep } from "../../contracts/release-steps";

/** In break-glass, neither release commands nor the gate and the release record may run. */
const breakGlassCommands = [...releaseCommandPatterns, releaseStep.gate, releaseStep.record];

export interface BreakGlassConfig {
  prodStacks: string[];
  breakGlassType: string;
  releaseCommandNames: string[];
}

/**
 * Break-glass (config deploy-guardrails:breakGlass) lets prod change without a release while test is behind. Every
 * preview and up must say so, and nothing that releases may run in that mode.
 */
export const breakGlassVisible: StackValidationPolicy = {
  name: "break-glass-visible",
  description:
    "The prod stack runs in break-glass (deploy-guardrails:breakGlass is set): no migration, function deploy or function " +
    "secret runs and the release gate is skipped, so only the project shell, variables and GitHub settings change. If a " +
    "release command is present too, the program was changed to release in break-glass: remove it. Remove " +
    "deploy-guardrails:breakGlass once the emergency change is applied, to release again.",
  enforcementLevel: "advisory",
  severity: "high",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      breakGlassType: {
        type: "string",
        minLength: 1,
        default: breakGlassType,
        description: "Type token of the component the program registers in break-glass.",
      },
      releaseCommandNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: breakGlassCommands,
        description: "Logical names of release commands; * matches any characters.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<BreakGlassConfig>>(), {
      prodStacks: defaults.prodStacks,
      breakGlassType,
      releaseCommandNames: breakGlassCommands,
    });
    const marker = args.resources.find((r) => r.type === config.breakGlassType);
    if (!marker || !isProdStack(marker.urn, config.prodStacks)) return;
    reportViolation(
      `${marker.name}: prod runs in BREAK-GLASS. This update runs no migration, function deploy or function secret, and skips the release gate; remove deploy-guardrails:breakGlass to release again.`,
      marker.urn,
    );
    for (const release of args.resources.filter((r) => r.type === "command:local:Command" && config.releaseCommandNames.some((p) => matchesName(r.name, p)))) {
      reportViolation(
        `${release.name} would run in break-glass, which releases nothing: remove it, or remove deploy-guardrails:breakGlass and release through test.`,
        release.urn,
      );
    }
  },
};
