import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, toFingerprints, withDefaults } from "../lib/config";
import { findCredentials, findSecretAssignments } from "../../contracts/credential-shapes";
import { FingerprintSet, matchesFingerprint } from "../../contracts/fingerprint";
import { readField } from "../lib/read";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";
import { describeVariable, isVercelVariableType, vercelVariables } from "../lib/vercel-variables";
import { walkStrings } from "../lib/walk";

export interface SecretsStaySecretConfig {
  prodSecretFingerprints: FingerprintSet;
}

/** A URL without a password names a server but does not unlock it; every other shape is a credential. */
function credentialProblems(value: string, fingerprints: FingerprintSet): string[] {
  const problems = findCredentials(value).map((s) => s.description);
  if (matchesFingerprint(value, fingerprints)) problems.push("a prod server secret (fingerprint match)");
  return problems;
}

const commandScriptFields = ["create", "update", "delete", "stdin", "dir", "triggers", "interpreter"];

const plainGithubVariables = [types.github.actionsVariable, types.github.actionsEnvironmentVariable, types.github.actionsOrganizationVariable];

/**
 * Policies see secrets as plaintext and cannot ask whether Pulumi marked a value secret, so this checks the places
 * where a credential ends up readable by construction: a Vercel variable with `sensitive: false`, a command's script
 * text (shown in diffs and logs; credentials belong in `environment`), and a GitHub Actions *variable*.
 */
export const secretsStaySecret: ResourceValidationPolicy = {
  name: "secrets-stay-secret",
  description:
    "A credential sits where it is stored or shown in plain text: a Vercel variable with sensitive: false, a command's " +
    "create/update/delete script, or a GitHub Actions variable. Mark the Vercel variable sensitive: true (never put " +
    "secrets in the development target), pass command credentials through environment, and use an Actions secret. " +
    "Public values (the anon key, sb_publishable_ keys) are fine.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: { properties: { prodSecretFingerprints: schema.prodSecretFingerprints } },
  validateResource: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<SecretsStaySecretConfig>>(), { prodSecretFingerprints: defaults.prodSecretFingerprints });
    const fingerprints = toFingerprints(config.prodSecretFingerprints);
    const unknowns = new UnknownReads();
    // Only an unknown that could hide a readable credential is worth the "can't run during preview" note.
    let undecided = false;

    if (isVercelVariableType(args.type)) {
      const variables = vercelVariables(args.type, args.props, unknowns);
      if (variables === UNKNOWN) undecided = true;
      for (const v of variables === UNKNOWN ? [] : variables) {
        if (v.sensitive === UNKNOWN || (v.sensitive === false && v.value === UNKNOWN)) undecided = true;
        if (v.sensitive !== false || typeof v.value !== "string") continue;
        const problems = credentialProblems(v.value, fingerprints);
        if (problems.length > 0) {
          reportViolation(
            `${describeVariable(v)} holds ${problems.join(" and ")} with sensitive: false, so Vercel shows it to anyone on the team. Set sensitive: true (and keep secrets out of the development target).`,
          );
        }
      }
    }

    if (args.type === types.command.local || args.type === types.command.remote) {
      for (const field of commandScriptFields) {
        const before = unknowns.unknownPaths.length;
        const value = unknowns.read(() => args.props[field], field);
        const leaves = value === UNKNOWN ? [] : walkStrings(value, unknowns);
        if (unknowns.unknownPaths.length > before) undecided = true;
        for (const leaf of leaves) {
          const where = leaf.path ? `${field}${leaf.path.startsWith("[") ? "" : "."}${leaf.path}` : field;
          const problems = credentialProblems(leaf.value as string, fingerprints);
          const assigned = findSecretAssignments(leaf.value as string);
          if (assigned.length > 0) problems.push(`a literal value for ${[...new Set(assigned)].join(", ")}`);
          if (problems.length > 0) {
            reportViolation(
              `${where} of command ${args.name} contains ${problems.join(" and ")}. Scripts are shown in diffs and logs: pass the credential through environment and refer to it as "$NAME".`,
            );
          }
        }
      }
    }

    if ((plainGithubVariables as string[]).includes(args.type)) {
      const value = readField<string>(unknowns, args.props, "value", "");
      const name = readField<string>(unknowns, args.props, "variableName", "");
      if (value === UNKNOWN) undecided = true;
      if (typeof value === "string") {
        const problems = credentialProblems(value, fingerprints);
        if (problems.length > 0) {
          reportViolation(
            `The Actions variable ${typeof name === "string" ? name : ""} holds ${problems.join(" and ")}; variables are plain text in logs and settings. Make it an ActionsEnvironmentSecret instead.`,
          );
        }
      }
    }
    if (undecided) unknowns.deferToUpdate();
  },
};
