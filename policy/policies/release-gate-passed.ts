import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { readField } from "../lib/read";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";

export interface ReleaseGateConfig {
  prodStacks: string[];
  releaseGateName: string;
}

/**
 * In prod, the release gate compares what prod is about to release (RELEASE_ID) with what passed the integration
 * tests on test (TESTED_RELEASE_ID). Refusing here, at preview, stops the release before any resource changes.
 *
 * Unknown values are violations, not deferrals: a gate that cannot be decided at preview would otherwise be decided
 * only in the middle of `up`, after earlier resources already changed.
 */
export const releaseGatePassed: ResourceValidationPolicy = {
  name: "release-gate-passed",
  description:
    "The prod release gate (command supabase-release-gate) does not prove that this release passed on test: " +
    "environment.RELEASE_ID and environment.TESTED_RELEASE_ID must both be set, non-empty, known at preview and equal. " +
    "Deploy and test the release on the test stack first, then preview prod again.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: { properties: { prodStacks: schema.prodStacks, releaseGateName: schema.releaseGateName } },
  validateResource: (args, reportViolation) => {
    if (args.type !== types.command.local) return;
    const config = withDefaults(args.getConfig<Partial<ReleaseGateConfig>>(), {
      prodStacks: defaults.prodStacks,
      releaseGateName: defaults.releaseGateName,
    });
    if (args.name !== config.releaseGateName || !isProdStack(args.urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    const environment = unknowns.read(() => args.props.environment as Record<string, unknown> | undefined, "environment");
    if (environment === UNKNOWN) {
      reportViolation(
        `${config.releaseGateName} has an environment that is unknown at preview, so the gate cannot be decided before changes. Pass RELEASE_ID and TESTED_RELEASE_ID as values known at preview.`,
      );
      return;
    }
    const read = (name: string) => readField<string>(unknowns, environment, name, "environment");
    const releaseId = read("RELEASE_ID");
    const testedId = read("TESTED_RELEASE_ID");
    let decidable = true;
    for (const [name, value] of [
      ["RELEASE_ID", releaseId],
      ["TESTED_RELEASE_ID", testedId],
    ] as const) {
      if (value === UNKNOWN) {
        decidable = false;
        reportViolation(
          `${config.releaseGateName}: environment.${name} is unknown at preview, so prod cannot prove it releases what passed on test. Make it a value known at preview (a content hash, a stack reference output).`,
        );
      } else if (typeof value !== "string" || value.trim() === "") {
        decidable = false;
        reportViolation(
          `${config.releaseGateName}: environment.${name} is missing or empty. ` +
            (name === "TESTED_RELEASE_ID"
              ? "Nothing has passed on test yet: deploy to the test stack and let its integration tests pass first."
              : "Set it to the content hash of this release."),
        );
      }
    }
    if (decidable && typeof releaseId === "string" && typeof testedId === "string" && releaseId.trim() !== testedId.trim()) {
      reportViolation(
        `${config.releaseGateName}: RELEASE_ID differs from TESTED_RELEASE_ID, so this release has not passed on test. Deploy it to the test stack and let the integration tests pass, then release prod.`,
      );
    }
  },
};
