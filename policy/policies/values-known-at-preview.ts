import { ResourceValidationPolicy } from "@pulumi/policy";
import { releaseEvidenceVariable } from "../../contracts/release-steps";
import { defaults, schema, withDefaults } from "../lib/config";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";
import { walkLeaves } from "../lib/walk";

export interface ValuesKnownConfig {
  prodStacks: string[];
}

/**
 * Where a non-prod stack puts values that could be a credential (Vercel variables, GitHub secrets and variables, a
 * release command's environment), every value must be known at preview: an unknown one (built at apply time, e.g. by
 * interpolating a generated value) can only be checked for a prod credential inside `up`, where independent resources
 * may already have changed, while the pull request's required preview passes it with an advisory. The program never
 * builds such a value: config sources are known, generated secrets are derived from the stack's seed.
 */
const credentialFields: Record<string, (path: string) => boolean> = {
  [types.vercel.variable]: (p) => p === "value",
  [types.vercel.variables]: (p) => /^variables\[\d+\]\.value$/.test(p),
  [types.vercel.sharedVariable]: (p) => p === "value",
  [types.github.actionsEnvironmentSecret]: (p) => ["value", "plaintextValue", "encryptedValue", "valueEncrypted"].includes(p),
  [types.github.actionsSecret]: (p) => ["value", "plaintextValue", "encryptedValue", "valueEncrypted"].includes(p),
  [types.github.actionsEnvironmentVariable]: (p) => p === "value",
  [types.github.actionsVariable]: (p) => p === "value",
  // The release's evidence (the other steps' record lines) is unknown whenever a step runs; contracts/release-steps.ts.
  [types.command.local]: (p) => p === "environment" || (p.startsWith("environment.") && p !== `environment.${releaseEvidenceVariable}`),
};

export const valuesKnownAtPreview: ResourceValidationPolicy = {
  name: "values-known-at-preview",
  description:
    "A non-prod stack puts a value that is unknown at preview into a Vercel variable, a GitHub secret or variable, or a " +
    "release command's environment, so no policy can check it for a prod credential before anything changes. Take the " +
    "value from a config source (value, secret, supabase, or generated: derived from generatedSecretsSeed), which is " +
    "known at preview, instead of building it from another resource's outputs.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: { properties: { prodStacks: schema.prodStacks } },
  validateResource: (args, reportViolation) => {
    const field = credentialFields[args.type];
    if (!field) return;
    const config = withDefaults(args.getConfig<Partial<ValuesKnownConfig>>(), { prodStacks: defaults.prodStacks });
    if (isProdStack(args.urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    const top = unknowns.read(() => args.props as Record<string, unknown>);
    if (top === UNKNOWN) return;
    walkLeaves(args.props, unknowns);
    const unknownFields = unknowns.unknownPaths.filter(field);
    if (unknownFields.length > 0) {
      reportViolation(
        `${unknownFields.join(", ")} ${unknownFields.length === 1 ? "is" : "are"} unknown at preview: a value built at apply time cannot be checked for a prod credential before anything changes. Take it from a config source instead.`,
      );
    }
  },
};
