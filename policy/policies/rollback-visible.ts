import { StackValidationPolicy } from "@pulumi/policy";
import { rollbackType } from "../../contracts/promotion";
import { releaseCommandPatterns, releaseStep } from "../../contracts/release-steps";
import { defaults, schema, withDefaults } from "../lib/config";
import { isProdStack } from "../lib/stack";
import { matchesName } from "./release-commands-gated";

/** In a rollback, neither release commands nor the gate and the release record may run. */
const rollbackCommands = [...releaseCommandPatterns, releaseStep.gate, releaseStep.record];

export interface RollbackConfig {
  prodStacks: string[];
  rollbackType: string;
  releaseCommandNames: string[];
}

/**
 * A rollback (config deploy-guardrails:rollbackTo) points production back at an earlier released commit's deployment
 * while the database stays as the last release left it. Every preview and up must say so, and nothing that releases
 * (above all, no migration) may run in that mode.
 */
export const rollbackVisible: StackValidationPolicy = {
  name: "rollback-visible",
  description:
    "The prod stack rolls the app back (deploy-guardrails:rollbackTo is set): it re-promotes an earlier commit's production " +
    "deployment, and no migration, function deploy or function secret runs, so the database stays as the last release left it. " +
    "If a release command is present too, the program was changed to release in a rollback: remove it. Remove " +
    "deploy-guardrails:rollbackTo in the pull request that fixes the app.",
  enforcementLevel: "advisory",
  severity: "high",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      rollbackType: {
        type: "string",
        minLength: 1,
        default: rollbackType,
        description: "Type token of the component the program registers during a rollback.",
      },
      releaseCommandNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: rollbackCommands,
        description: "Logical names of release commands; * matches any characters.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<RollbackConfig>>(), {
      prodStacks: defaults.prodStacks,
      rollbackType,
      releaseCommandNames: rollbackCommands,
    });
    const marker = args.resources.find((r) => r.type === config.rollbackType);
    if (!marker || !isProdStack(marker.urn, config.prodStacks)) return;
    reportViolation(
      `${marker.name}: prod ROLLS BACK the app. This update re-promotes an earlier commit's production deployment and runs no migration, function deploy or function secret; remove deploy-guardrails:rollbackTo to release again.`,
      marker.urn,
    );
    for (const release of args.resources.filter((r) => r.type === "command:local:Command" && config.releaseCommandNames.some((p) => matchesName(r.name, p)))) {
      reportViolation(
        `${release.name} would run in a rollback, which releases nothing: remove it, or remove deploy-guardrails:rollbackTo and release through test.`,
        release.urn,
      );
    }
  },
};
