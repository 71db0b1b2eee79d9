import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, toFingerprints, withDefaults } from "../lib/config";
import { findAssignments, findCredentialShapes } from "../../contracts/credential-shapes";
import { FingerprintSet, matchesFingerprint } from "../../contracts/fingerprint";
import { readField } from "../lib/read";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";
import { isVercelVariableType, vercelVariables } from "../lib/vercel-variables";
import { walkStrings } from "../lib/walk";

export interface PublicVariableConfig {
  publicPrefixes: string[];
  prodSecretFingerprints: FingerprintSet;
}

export const defaultPublicPrefixes = ["NEXT_PUBLIC_", "VITE_", "EXPO_PUBLIC_", "PUBLIC_", "REACT_APP_", "NUXT_PUBLIC_", "GATSBY_"];

/** A public name that says "secret" is wrong whatever the value looks like. */
const secretSoundingName = /(?:SERVICE_ROLE(?:_KEY)?|SECRET(?:_KEY)?|PASSWORD|PASSWD|PRIVATE_KEY)$/;

interface NamedValue {
  name: string;
  value: string;
  where: string;
}

const githubNamed: Record<string, string> = {
  [types.github.actionsVariable]: "variableName",
  [types.github.actionsEnvironmentVariable]: "variableName",
  [types.github.actionsOrganizationVariable]: "variableName",
  [types.github.actionsSecret]: "secretName",
  [types.github.actionsEnvironmentSecret]: "secretName",
  [types.github.actionsOrganizationSecret]: "secretName",
};

const lastKey = (path: string) => /(?:^|\.)([A-Za-z_][A-Za-z0-9_]*)$/.exec(path)?.[1];

/**
 * Name/value pairs a bundler could inline: Vercel variables, GitHub variables, map entries and `NAME=value` lines.
 * `undecided` is set when a value that could be public is unknown at preview (an unknown project id is not).
 */
function namedValues(type: string, props: Record<string, unknown>, isPublic: (name: string) => boolean) {
  const pairs: NamedValue[] = [];
  let undecided = false;
  const scratch = new UnknownReads();
  if (isVercelVariableType(type)) {
    const variables = vercelVariables(type, props, scratch);
    if (variables === UNKNOWN) undecided = true;
    else {
      for (const v of variables) {
        if (v.key === UNKNOWN || (typeof v.key === "string" && isPublic(v.key) && v.value === UNKNOWN)) undecided = true;
        if (typeof v.key === "string" && typeof v.value === "string") pairs.push({ name: v.key, value: v.value, where: v.path ? `${v.path}.value` : "value" });
      }
    }
  }
  const nameField = githubNamed[type];
  if (nameField) {
    const name = readField<string>(scratch, props, nameField, "");
    for (const field of ["value", "plaintextValue"]) {
      const value = readField<string>(scratch, props, field, "");
      if (name === UNKNOWN || (typeof name === "string" && isPublic(name) && value === UNKNOWN)) undecided = true;
      if (typeof name === "string" && typeof value === "string") pairs.push({ name, value, where: field });
    }
  }
  const walk = new UnknownReads();
  for (const leaf of walkStrings(props, walk)) {
    const key = lastKey(leaf.path);
    if (key) pairs.push({ name: key, value: leaf.value as string, where: leaf.path });
    for (const a of findAssignments(leaf.value as string)) pairs.push({ name: a.name, value: a.value, where: `${leaf.path} (${a.name}=…)` });
  }
  if (walk.unknownPaths.some((path) => isPublic(lastKey(path) ?? ""))) undecided = true;
  return { pairs, undecided, unknowns: walk.any ? walk : scratch };
}

/**
 * Every stack: a variable whose name the browser bundle exposes (NEXT_PUBLIC_, VITE_, …) must not hold a server
 * secret: a service_role JWT, an sb_secret_ key, a database URL, any token, or a prod secret by fingerprint.
 */
export const noServerSecretInPublicVariable: ResourceValidationPolicy = {
  name: "no-server-secret-in-public-variable",
  description:
    "A browser-exposed variable (a name starting with a public prefix such as NEXT_PUBLIC_) holds a server secret " +
    "(service_role JWT, sb_secret_ key, database URL, token or a prod secret). Everything in such a variable ships to " +
    "every visitor: move the value to a variable without the public prefix and read it on the server only.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      publicPrefixes: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: defaultPublicPrefixes,
        description: "Name prefixes that bundlers inline into client code.",
      },
      prodSecretFingerprints: schema.prodSecretFingerprints,
    },
  },
  validateResource: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<PublicVariableConfig>>(), {
      publicPrefixes: defaultPublicPrefixes,
      prodSecretFingerprints: defaults.prodSecretFingerprints,
    });
    const fingerprints = toFingerprints(config.prodSecretFingerprints);
    const prefixOf = (name: string) => config.publicPrefixes.find((p) => name.startsWith(p));
    const { pairs, undecided, unknowns } = namedValues(args.type, args.props, (name) => prefixOf(name) !== undefined);
    const reported = new Set<string>();
    for (const { name, value, where } of pairs) {
      const prefix = prefixOf(name);
      if (!prefix || value.trim() === "") continue;
      const problems = findCredentialShapes(value).map((s) => s.description);
      if (matchesFingerprint(value, fingerprints)) problems.push("a prod server secret (fingerprint match)");
      if (problems.length === 0 && secretSoundingName.test(name)) problems.push("a value its name calls secret");
      const key = `${where}|${name}`;
      if (problems.length === 0 || reported.has(key)) continue;
      reported.add(key);
      reportViolation(
        `${name} (${where}) is exposed to browsers by its ${prefix} prefix but holds ${problems.join(" and ")}. ` +
          `Rename it without ${prefix} and use it only in server code; rotate the value if it was ever deployed.`,
      );
    }
    if (undecided) unknowns.deferToUpdate();
  },
};
