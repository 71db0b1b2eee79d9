import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { releaseCommandPatterns } from "../../contracts/release-steps";
import { defaults, schema, withDefaults } from "../lib/config";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";

export interface ReleaseCommandsConfig {
  prodStacks: string[];
  releaseGateName: string;
  releaseCommandNames: string[];
  requireGateDependency: boolean;
}

/** `*` matches any run of characters; everything else literally. */
export function matchesName(name: string, pattern: string): boolean {
  const escaped = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(name);
}

/** Whether `resource` waits for `target`: through its dependencies, property dependencies or its parents'. */
export function dependsOn(resource: PolicyResource, target: PolicyResource): boolean {
  const seen = new Set<string>();
  const queue: PolicyResource[] = [resource];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (seen.has(current.urn)) continue;
    seen.add(current.urn);
    const next = [...(current.dependencies ?? []), ...Object.values(current.propertyDependencies ?? {}).flat(), ...(current.parent ? [current.parent] : [])];
    for (const n of next) {
      if (n.urn === target.urn) return true;
      queue.push(n);
    }
  }
  return false;
}

/**
 * In prod, a release command (migrations, functions, function secrets) may exist only together with the release
 * gate, and only ordered after it, so nothing reaches the prod project unless the gate ran first.
 */
export const releaseCommandsGated: StackValidationPolicy = {
  name: "release-commands-gated",
  description:
    "The prod stack has a release command (supabase-db-push, supabase-function-*) without the release gate " +
    "supabase-release-gate, or one that does not depend on the gate. Declare the gate and give every release command " +
    "dependsOn: [gate], so prod only releases what passed on test.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      releaseGateName: schema.releaseGateName,
      releaseCommandNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: releaseCommandPatterns,
        description: "Logical names of release commands; * matches any characters (supabase-function-* covers supabase-function-secrets).",
      },
      requireGateDependency: {
        type: "boolean",
        default: true,
        description: "Also require each release command to depend (directly, transitively or through a parent) on the gate.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<ReleaseCommandsConfig>>(), {
      prodStacks: defaults.prodStacks,
      releaseGateName: defaults.releaseGateName,
      releaseCommandNames: releaseCommandPatterns,
      requireGateDependency: true,
    });
    if (args.resources.length === 0 || !isProdStack(args.resources[0].urn, config.prodStacks)) return;
    const commands = args.resources.filter((r) => r.type === types.command.local);
    const gate = commands.find((r) => r.name === config.releaseGateName);
    const releases = commands.filter((r) => r.name !== config.releaseGateName && config.releaseCommandNames.some((p) => matchesName(r.name, p)));
    for (const release of releases) {
      if (!gate) {
        reportViolation(
          `${release.name} releases to prod, but the stack has no ${config.releaseGateName}. Declare the release gate and make ${release.name} depend on it.`,
          release.urn,
        );
      } else if (config.requireGateDependency && !dependsOn(release, gate)) {
        reportViolation(
          `${release.name} does not depend on ${config.releaseGateName}, so it could run before the gate. Add dependsOn: [gate] to ${release.name}.`,
          release.urn,
        );
      }
    }
  },
};
