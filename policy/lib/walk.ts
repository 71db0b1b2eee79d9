import { secretSignature as secretSig, secretSignatureValue as secretSigValue } from "../../contracts/secret-signature";
import { UnknownReads } from "./unknowns";

export type Primitive = string | number | boolean;

export interface Leaf {
  /** Where the value sits, e.g. `environment.PGPASSWORD` or `variables[2].value`. */
  path: string;
  /** The same path with array indices blanked, e.g. `variables[].value`, for matching field shapes. */
  shape: string;
  value: Primitive;
}

// The engine unwraps secrets before policies see them, but tests and mocks may still hand a wrapped one over.

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path: string, key: string): string {
  if (identifier.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/**
 * Every primitive leaf under `value`, with its path. Unknown values are skipped and recorded in `unknowns`,
 * so a caller can check everything already known and defer the rest.
 */
export function walkLeaves(value: unknown, unknowns: UnknownReads, path = "", shape = ""): Leaf[] {
  const leaves: Leaf[] = [];
  visit(value, path, shape, leaves, unknowns, 0);
  return leaves;
}

function visit(value: unknown, path: string, shape: string, out: Leaf[], unknowns: UnknownReads, depth: number): void {
  if (depth > 64 || value === null || value === undefined) return;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    out.push({ path, shape, value });
    return;
  }
  if (typeof value !== "object") return;
  if (Array.isArray(value)) {
    const length = unknowns.read(() => value.length, path);
    if (typeof length !== "number") return;
    for (let i = 0; i < length; i++) {
      const item = unknowns.read(() => value[i], `${path}[${i}]`);
      if (typeof item !== "symbol") visit(item, `${path}[${i}]`, `${shape}[]`, out, unknowns, depth + 1);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  const sig = unknowns.read(() => record[secretSig]);
  if (sig === secretSigValue) {
    const inner = unknowns.read(() => record.value, path);
    if (typeof inner !== "symbol") visit(inner, path, shape, out, unknowns, depth + 1);
    return;
  }
  for (const key of Object.keys(record)) {
    const item = unknowns.read(() => record[key], child(path, key));
    if (typeof item !== "symbol") visit(item, child(path, key), child(shape, key), out, unknowns, depth + 1);
  }
}

/** The string leaves only. */
export function walkStrings(value: unknown, unknowns: UnknownReads): Leaf[] {
  return walkLeaves(value, unknowns).filter((l) => typeof l.value === "string");
}
