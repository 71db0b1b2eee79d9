import { ResourceValidationPolicy } from "@pulumi/policy";
import { FingerprintSet } from "../../contracts/fingerprint";
import { defaults, schema, toProdIdentity, withDefaults } from "../lib/config";
import { databaseHostForms, findProdCredential } from "../../contracts/prod-identity";
import { releaseEvidenceVariable } from "../../contracts/release-steps";
import { isProdStack, stackFromUrn } from "../lib/stack";
import { UnknownReads } from "../lib/unknowns";
import { walkStrings } from "../lib/walk";

export interface NoProdCredentialConfig {
  prodStacks: string[];
  prodProjectRefs: string[];
  prodDatabaseHosts: string[];
  prodFingerprints: FingerprintSet;
  requireProdIdentity: boolean;
}

const fallback: NoProdCredentialConfig = {
  prodStacks: defaults.prodStacks,
  prodProjectRefs: defaults.prodProjectRefs,
  prodDatabaseHosts: defaults.prodDatabaseHosts,
  prodFingerprints: defaults.prodFingerprints,
  requireProdIdentity: true,
};

/**
 * Walks every string input of every resource in a non-prod stack and refuses any that carries a prod credential:
 * the prod project ref in a URL, host or pooler user name, a legacy JWT whose `ref` is prod, the host of a
 * non-Supabase prod database (and its Neon pooler host or endpoint id), or a value whose fingerprint matches a prod
 * value (prodFingerprints: every prod value, the public anon/publishable key included, because a prod publishable key
 * outside prod points a Preview at prod) — also behind whitespace, quotes, host case and percent-encoding.
 */
export const noProdCredentialOutsideProd: ResourceValidationPolicy = {
  name: "no-prod-credential-outside-prod",
  description:
    "A resource in a non-prod stack carries a prod credential (the prod project ref in a URL, host, pooler user or JWT, " +
    "the prod database host, or a value matching a prod fingerprint, the publishable key included). Give it the test project's or test " +
    "database's value instead; only the stacks in prodStacks may hold prod values. Values unknown at preview are " +
    "checked by `pulumi up` before the resource changes.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      prodProjectRefs: schema.prodProjectRefs,
      prodDatabaseHosts: schema.prodDatabaseHosts,
      prodFingerprints: schema.prodFingerprints,
      requireProdIdentity: {
        type: "boolean",
        default: true,
        description:
          "Report a violation when no prod identity is configured: no prodProjectRefs, no prodDatabaseHosts and no " + "prodFingerprints (fail closed).",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<NoProdCredentialConfig>>(), fallback);
    if (isProdStack(args.urn, config.prodStacks)) return;
    const stack = stackFromUrn(args.urn);
    const identity = toProdIdentity(config);
    if (config.requireProdIdentity && identity.refs.length === 0 && identity.hosts.length === 0 && identity.fingerprints.entries.length === 0) {
      reportViolation(
        "No prod identity is configured: neither prodProjectRefs (a Supabase prod project) nor prodDatabaseHosts " +
          "(a prod database that is not Supabase, e.g. Neon) nor prodFingerprints, so prod credentials cannot be " +
          "recognised. Run with --policy-pack-config policy.config.json (regenerate it with npm run policy:fingerprints), " +
          "or set requireProdIdentity to false.",
      );
      return;
    }
    const unknowns = new UnknownReads();
    for (const leaf of walkStrings(args.props, unknowns)) {
      const found = findProdCredential(leaf.value as string, identity);
      if (found.length > 0 && found.every((form) => databaseHostForms.has(form))) {
        reportViolation(
          `${leaf.path} holds ${found.join(" and ")}, but "${stack}" is not a prod stack. ` +
            "Point it at this stack's own database (for Neon, the test branch's endpoint); only the prod stack may reach the prod database.",
        );
      } else if (found.length > 0) {
        reportViolation(
          `${leaf.path} holds ${found.join(" and ")}, but "${stack}" is not a prod stack. ` +
            "Use the test project's value here; prod credentials belong only to the prod stack.",
        );
      }
    }
    // The release's evidence is unknown whenever a step will run; it is checked at `up` (contracts/release-steps.ts).
    unknowns.deferToUpdate((path) => args.type === "command:local:Command" && path === `environment.${releaseEvidenceVariable}`);
  },
};
