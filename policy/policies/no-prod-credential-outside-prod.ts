import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, toProdIdentity, withDefaults } from "../lib/config";
import { findProdCredential } from "../lib/prod-identity";
import { isProdStack, stackFromUrn } from "../lib/stack";
import { UnknownReads } from "../lib/unknowns";
import { walkStrings } from "../lib/walk";

export interface NoProdCredentialConfig {
  prodStacks: string[];
  prodProjectRefs: string[];
  prodFingerprints: { salt: string; sha256: string[] };
  requireProdIdentity: boolean;
}

const fallback: NoProdCredentialConfig = {
  prodStacks: defaults.prodStacks,
  prodProjectRefs: defaults.prodProjectRefs,
  prodFingerprints: defaults.prodFingerprints,
  requireProdIdentity: true,
};

/**
 * Walks every string input of every resource in a non-prod stack and refuses any that carries a prod credential:
 * the prod project ref in a URL, host or pooler user name, a legacy JWT whose `ref` is prod, or a value whose
 * salted fingerprint matches a prod secret — also behind whitespace, quotes, host case and percent-encoding.
 */
export const noProdCredentialOutsideProd: ResourceValidationPolicy = {
  name: "no-prod-credential-outside-prod",
  description:
    "A resource in a non-prod stack carries a prod credential (the prod project ref in a URL, host, pooler user or JWT, " +
    "or a value matching a prod secret fingerprint). Give it the test project's value instead; only the stacks in " +
    "prodStacks may hold prod values. Values unknown at preview are checked by `pulumi up` before the resource changes.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      prodProjectRefs: schema.prodProjectRefs,
      prodFingerprints: schema.prodFingerprints,
      requireProdIdentity: {
        type: "boolean",
        default: true,
        description: "Report a violation when neither prod refs nor fingerprints are configured (fail closed).",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<NoProdCredentialConfig>>(), fallback);
    if (isProdStack(args.urn, config.prodStacks)) return;
    const stack = stackFromUrn(args.urn);
    const identity = toProdIdentity(config);
    if (config.requireProdIdentity && identity.refs.length === 0 && identity.fingerprints.sha256.size === 0) {
      reportViolation(
        "No prod project ref or fingerprint is configured, so prod credentials cannot be recognised. " +
          "Run with --policy-pack-config policy.config.json (regenerate it with npm run policy:fingerprints), " +
          "or set requireProdIdentity to false.",
      );
      return;
    }
    const unknowns = new UnknownReads();
    for (const leaf of walkStrings(args.props, unknowns)) {
      const found = findProdCredential(leaf.value as string, identity);
      if (found.length > 0) {
        reportViolation(
          `${leaf.path} holds ${found.join(" and ")}, but "${stack}" is not a prod stack. ` +
            "Use the test project's value here; prod credentials belong only to the prod stack.",
        );
      }
    }
    unknowns.deferToUpdate();
  },
};
