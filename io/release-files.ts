import * as fs from "fs";
import * as path from "path";
import { FileEntry } from "../lib/release-identity";

/**
 * Reads the files of a release from disk. Only regular files count: the Supabase CLI follows symbolic links, so a
 * link could change what a release runs without changing its id; links and anything else are refused.
 */

/** What the Supabase CLI keeps for itself under supabase/ (git-ignored by its own template): never part of a release. */
const cliStateFolders = new Set([".temp", ".branches"]);
const cliLocalFiles = /^\.env(\.[A-Za-z0-9_-]+)*\.local$|^\.env\.keys$/;

export interface ReadFiles {
  entries: FileEntry[];
  problems: string[];
}

function notRegular(stat: fs.Stats): string {
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

/** Every regular file below `dir` (relative paths, forward slashes); a missing folder is empty, not an error. */
export function readRegularFiles(dir: string, shownAs: string): ReadFiles {
  const result: ReadFiles = { entries: [], problems: [] };
  if (!fs.existsSync(dir)) return result;
  const walk = (current: string, top: boolean) => {
    for (const item of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(current, item.name);
      const relative = path.relative(dir, full).split(path.sep).join("/");
      if (top && item.isDirectory() && cliStateFolders.has(item.name)) continue;
      if (item.isFile() && cliLocalFiles.test(item.name)) continue;
      if (item.isDirectory()) walk(full, false);
      else if (item.isFile()) result.entries.push({ path: relative, content: fs.readFileSync(full) });
      else {
        result.problems.push(
          `${shownAs}/${relative} is ${notRegular(fs.lstatSync(full))}; release files must be regular files (the Supabase CLI follows links, so a link could change what runs without changing the release id). Replace it with the file itself.`,
        );
      }
    }
  };
  walk(dir, true);
  return result;
}

/** Relative module specifiers in TypeScript/JavaScript sources and the `imports` of Deno config files. */
export function relativeSpecifiers(file: string, text: string): string[] {
  const specifiers: string[] = [];
  if (/(^|\/)(deno\.jsonc?|import_map\.json)$/.test(file)) {
    try {
      const parsed = JSON.parse(text.replace(/^\s*\/\/.*$/gm, "")) as { imports?: Record<string, string>; importMap?: string };
      specifiers.push(...Object.values(parsed.imports ?? {}), ...(parsed.importMap ? [parsed.importMap] : []));
    } catch {
      // An unreadable config file is still hashed as a file; the CLI reports the syntax error at deploy.
    }
  } else {
    const pattern = /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g;
    for (const match of text.matchAll(pattern)) specifiers.push(match[1] ?? match[2] ?? match[3]);
  }
  return specifiers.filter((s) => s.startsWith("./") || s.startsWith("../"));
}

const sourceFile = /\.(m?[jt]sx?|json|jsonc)$/;

/**
 * The files a function imports from outside supabaseDir, followed transitively: they change what the function
 * deploys, so they belong to its digest and to the release id. Paths are relative to the project root.
 */
export function importedFilesOutside(args: { projectDir: string; supabaseDir: string; functionFiles: FileEntry[] }): ReadFiles {
  const result: ReadFiles = { entries: [], problems: [] };
  const root = path.resolve(args.projectDir);
  const supabaseRoot = path.resolve(root, args.supabaseDir);
  const seen = new Set<string>();
  const queue: { from: string; text: string }[] = args.functionFiles
    .filter((f) => sourceFile.test(f.path))
    .map((f) => ({ from: path.join(supabaseRoot, "functions", f.path), text: f.content.toString("utf8") }));
  while (queue.length > 0) {
    const { from, text } = queue.shift()!;
    for (const specifier of relativeSpecifiers(from, text)) {
      const target = path.resolve(path.dirname(from), specifier);
      if (seen.has(target)) continue;
      seen.add(target);
      const shown = path.relative(root, target).split(path.sep).join("/");
      if (target !== root && !target.startsWith(`${root}${path.sep}`)) {
        result.problems.push(
          `${path.relative(root, from)} imports ${specifier}, which is outside the project; a release can only contain files of the repository.`,
        );
        continue;
      }
      if (!fs.existsSync(target)) continue; // the deploy reports a missing import; it cannot change what runs
      const stat = fs.lstatSync(target);
      if (target.startsWith(`${supabaseRoot}${path.sep}`)) {
        // Already a file of the release (readRegularFiles refuses links there), but it may import from outside.
        if (stat.isFile() && sourceFile.test(target)) queue.push({ from: target, text: fs.readFileSync(target, "utf8") });
        continue;
      }
      if (stat.isDirectory()) {
        const folder = readRegularFiles(target, shown);
        result.problems.push(...folder.problems);
        for (const entry of folder.entries) result.entries.push({ path: `${shown}/${entry.path}`, content: entry.content });
        continue;
      }
      if (!stat.isFile()) {
        result.problems.push(
          `${shown}, imported by ${path.relative(root, from)}, is ${notRegular(stat)}; release files must be regular files. Replace it with the file itself.`,
        );
        continue;
      }
      const content = fs.readFileSync(target);
      result.entries.push({ path: shown, content });
      if (sourceFile.test(target)) queue.push({ from: target, text: content.toString("utf8") });
    }
  }
  result.entries.sort((a, b) => (a.path < b.path ? -1 : 1));
  return result;
}
