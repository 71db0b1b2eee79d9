import * as fs from "fs";
import * as path from "path";
import type { GithubSettings } from "../config/github";
import { PlainRunError } from "../config/errors";
import { authorityOwners, codeownersLocations, codeownersProblems, guardedPatterns, patternCovers } from "../lib/github-codeowners";

/** The repository a project lives in: the nearest folder up from it with a `.git`, else the project folder itself. */
export function repositoryRootOf(projectDir: string): string {
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(projectDir);
  }
}

function walk(root: string, relative: string, out: string[]): void {
  const full = path.join(root, relative);
  if (!fs.existsSync(full)) return;
  if (!fs.statSync(full).isDirectory()) {
    out.push(relative);
    return;
  }
  for (const entry of fs.readdirSync(full)) {
    if (entry === "node_modules" || entry === ".git") continue;
    walk(root, relative ? `${relative}/${entry}` : entry, out);
  }
}

/** The files under the guarded patterns, relative to the repository root (node_modules and .git left out). */
export function guardedFiles(repoRoot: string, patterns: string[]): string[] {
  const files: string[] = [];
  for (const pattern of patterns) {
    const body = pattern.replace(/^\/+/, "");
    if (body.endsWith("/")) walk(repoRoot, body.replace(/\/+$/, ""), files);
    else {
      const dir = path.posix.dirname(body);
      const full = path.join(repoRoot, dir);
      if (!fs.existsSync(full)) continue;
      for (const entry of fs.readdirSync(full)) {
        const file = dir === "." ? entry : `${dir}/${entry}`;
        if (patternCovers(pattern, file)) files.push(file);
      }
    }
  }
  return [...new Set(files)].sort();
}

/** What codeownersProblems needs, read from the working tree: the CODEOWNERS GitHub would read, and the guarded files. */
export function readCodeownersTree(github: GithubSettings, supabaseDir: string, projectDir: string) {
  const repoRoot = repositoryRootOf(projectDir);
  const projectPrefix = path.relative(repoRoot, path.resolve(projectDir)).split(path.sep).join("/");
  const patterns = guardedPatterns({ supabaseDir, projectPrefix });
  const location = codeownersLocations.find((l) => fs.existsSync(path.join(repoRoot, l)));
  return {
    location,
    text: location ? fs.readFileSync(path.join(repoRoot, location), "utf8") : undefined,
    patterns,
    existingFiles: guardedFiles(repoRoot, patterns),
    owners: authorityOwners(github),
  };
}

/**
 * The prod stack refuses to run, before registering anything, when CODEOWNERS does not give every guarded path to the
 * release authority alone, unless code-owner review is an acknowledged gap.
 */
export function assertCodeowners(github: GithubSettings, supabaseDir: string, projectDir: string): void {
  if (github.acknowledgedGaps.some((g) => g.setting === "codeOwnerReview")) return;
  const problems = codeownersProblems(readCodeownersTree(github, supabaseDir, projectDir));
  if (problems.length > 0) {
    throw new PlainRunError(
      `The prod stack requires code-owner review by the release authority of the workflows, the policy pack and the program, but CODEOWNERS does not give them to it:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
  }
}
