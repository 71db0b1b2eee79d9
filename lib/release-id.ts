import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

export interface FileEntry {
  /** Path relative to the folder it was read from, with forward slashes. */
  path: string;
  content: Buffer;
}

/**
 * A content hash that changes exactly when a file's name or bytes change, and not with the order files are
 * listed in or the machine they were read on.
 */
export function hashEntries(entries: FileEntry[]): string {
  const hash = createHash("sha256");
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${entry.path}\0${entry.content.length}\0`);
    hash.update(entry.content);
  }
  return hash.digest("hex");
}

/** The release id names migrations and functions together, which is what test proves and prod releases. */
export function releaseIdOf(migrations: FileEntry[], functions: FileEntry[]): string {
  const prefixed = [
    ...migrations.map((e) => ({ path: `migrations/${e.path}`, content: e.content })),
    ...functions.map((e) => ({ path: `functions/${e.path}`, content: e.content })),
  ];
  return `rel-${hashEntries(prefixed).slice(0, 24)}`;
}

/** Reads every file below a folder; a missing folder is an empty release part, not an error. */
export function readTree(dir: string): FileEntry[] {
  if (!fs.existsSync(dir)) return [];
  const entries: FileEntry[] = [];
  const walk = (current: string) => {
    for (const item of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, item.name);
      if (item.isDirectory()) walk(full);
      else if (item.isFile()) entries.push({ path: path.relative(dir, full).split(path.sep).join("/"), content: fs.readFileSync(full) });
    }
  };
  walk(dir);
  return entries;
}

/** Files of one function: everything under `<functionsDir>/<name>/`, plus `_shared/` which every function may import. */
export function functionEntries(all: FileEntry[], name: string): FileEntry[] {
  return all.filter((e) => e.path.startsWith(`${name}/`) || e.path.startsWith("_shared/"));
}
