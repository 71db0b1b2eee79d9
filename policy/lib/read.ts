import { Maybe, UNKNOWN, UnknownReads } from "./unknowns";

/** Reads a list of primitives, copying it out of the proxy; UNKNOWN if the list or any item is unknown. */
export function readList<T extends string | number | boolean>(unknowns: UnknownReads, get: () => unknown, path: string): Maybe<T[] | undefined> {
  const list = unknowns.read(get, path);
  if (list === UNKNOWN) return UNKNOWN;
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) return [list as T];
  const length = unknowns.read(() => list.length, path);
  if (length === UNKNOWN) return UNKNOWN;
  const items: T[] = [];
  for (let i = 0; i < length; i++) {
    const item = unknowns.read(() => list[i] as T, `${path}[${i}]`);
    if (item === UNKNOWN) return UNKNOWN;
    if (item !== undefined && item !== null) items.push(item);
  }
  return items;
}

/** Reads a list of objects; UNKNOWN if the list itself is unknown. Unknown items are left out (and recorded). */
export function readObjects(unknowns: UnknownReads, get: () => unknown, path: string): Maybe<Record<string, unknown>[]> {
  const list = unknowns.read(get, path);
  if (list === UNKNOWN) return UNKNOWN;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return [list as Record<string, unknown>];
  const length = unknowns.read(() => list.length, path);
  if (length === UNKNOWN) return UNKNOWN;
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < length; i++) {
    const item = unknowns.read(() => list[i], `${path}[${i}]`);
    if (item !== UNKNOWN && item !== undefined && item !== null) items.push(item as Record<string, unknown>);
  }
  return items;
}

/** Reads one primitive field. */
export function readField<T>(unknowns: UnknownReads, object: unknown, field: string, path: string): Maybe<T | undefined> {
  if (object === undefined || object === null) return undefined;
  return unknowns.read(() => (object as Record<string, T>)[field], path ? `${path}.${field}` : field);
}
