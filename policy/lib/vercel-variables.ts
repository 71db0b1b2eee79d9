import { readField, readList, readObjects } from "./read";
import * as types from "./types";
import { Maybe, UNKNOWN, UnknownReads } from "./unknowns";

/** One Vercel environment variable, whichever resource shape declared it. */
export interface VercelVariable {
  /** Path of the variable inside the resource inputs: "" for a single-variable resource, else e.g. `variables[1]`. */
  path: string;
  key: Maybe<string | undefined>;
  value: Maybe<string | undefined>;
  targets: Maybe<string[] | undefined>;
  sensitive: Maybe<boolean | undefined>;
  gitBranch: Maybe<string | undefined>;
  customEnvironmentIds: Maybe<string[] | undefined>;
}

function readVariable(unknowns: UnknownReads, object: unknown, path: string): VercelVariable {
  const field = <T>(name: string) => readField<T>(unknowns, object, name, path);
  const value = field<string>("value");
  return {
    path,
    key: field<string>("key"),
    value: value === undefined ? field<string>("valueWo") : value,
    targets: readList<string>(unknowns, () => (object as Record<string, unknown>).targets, join(path, "targets")),
    sensitive: field<boolean>("sensitive"),
    gitBranch: field<string>("gitBranch"),
    customEnvironmentIds: readList<string>(unknowns, () => (object as Record<string, unknown>).customEnvironmentIds, join(path, "customEnvironmentIds")),
  };
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

/**
 * The Vercel variables a resource declares: `ProjectEnvironmentVariable` and `SharedEnvironmentVariable` (one
 * each), `ProjectEnvironmentVariables.variables[]`, and a `Project`'s inline `environments[]`.
 * Returns UNKNOWN when the list itself is unknown at preview.
 */
export function vercelVariables(type: string, props: Record<string, unknown>, unknowns: UnknownReads): Maybe<VercelVariable[]> {
  switch (type) {
    case types.vercel.variable:
    case types.vercel.sharedVariable:
      return [readVariable(unknowns, props, "")];
    case types.vercel.variables:
    case types.vercel.project: {
      const field = type === types.vercel.variables ? "variables" : "environments";
      const items = readObjects(unknowns, () => props[field], field);
      if (items === UNKNOWN) return UNKNOWN;
      return items.map((item, i) => readVariable(unknowns, item, `${field}[${i}]`));
    }
    default:
      return [];
  }
}

export function isVercelVariableType(type: string): boolean {
  return type === types.vercel.variable || type === types.vercel.variables || type === types.vercel.sharedVariable || type === types.vercel.project;
}

/** "the variable NEXT_PUBLIC_X (variables[1])" — names are not secret; values never appear. */
export function describeVariable(v: VercelVariable): string {
  const key = typeof v.key === "string" ? v.key : "(unknown key)";
  return v.path ? `the variable ${key} (${v.path})` : `the variable ${key}`;
}
