import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { namespace } from "../config/errors";
import { settingsFromStackFiles } from "../config/stack-file";
import { authorityOwners, codeownersLocations, codeownersProblems, guardedPatterns, renderCodeowners } from "../lib/github-codeowners";
import { unprotectedDeploymentBranches } from "../lib/github-rulesets";
import { guardedFiles, repositoryRootOf } from "../io/github-tree";

/**
 * `npm run codeowners [-- --stack prod] [--dir <project>] [--repository-root <dir>] [--check]`: writes (or, with
 * --check, only compares) the CODEOWNERS block that gives the guarded paths to the prod stack's release authority.
 * Reads the committed stack files, like the prod stack's preview reads the committed CODEOWNERS, and first refuses a
 * stack file that releases from a branch the prod stack does not protect (releaseBranches).
 */
/** A stack file's GitHub settings, through the program's own parser (its other keys must be valid too). */
function githubOf(projectDir: string, stack: string) {
  const settings = settingsFromStackFiles(projectDir, stack, { secretsMayBeAbsent: true });
  if (!settings.github) throw new Error(`${path.join(projectDir, `Pulumi.${stack}.yaml`)} manages no GitHub settings (enableGithub is false).`);
  return { github: settings.github, supabaseDir: settings.supabase?.supabaseDir ?? "supabase" };
}

/** Branches the project's other stack files release from that its prod stack does not protect (releaseBranches). */
export function releaseBranchGaps(projectDir: string, prodStack = "prod"): string[] {
  const stacks = fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.([A-Za-z0-9_-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined && s !== prodStack);
  const prod = githubOf(projectDir, prodStack).github;
  return unprotectedDeploymentBranches(
    prod,
    stacks.map((stack) => ({ stack, github: githubOf(projectDir, stack).github })),
  ).map(
    ({ stack, branch }) =>
      `Pulumi.${stack}.yaml releases from ${branch} (environmentDeploymentBranches), which Pulumi.${prodStack}.yaml does not protect: add it to ${namespace}:releaseBranches there`,
  );
}

export interface CodeownersTarget {
  file: string;
  current: string;
  expected: string;
  problems: string[];
}

/** The CODEOWNERS the project's stack asks for, beside the one committed (empty text when there is none). */
export function codeownersTarget(projectDir: string, stack = "prod", repoRoot = repositoryRootOf(projectDir)): CodeownersTarget {
  const { supabaseDir, github } = githubOf(projectDir, stack);
  const owners = authorityOwners(github);
  if (owners.length === 0)
    throw new Error(`${namespace}:releaseAuthority is empty in Pulumi.${stack}.yaml: CODEOWNERS would give the guarded paths to nobody.`);
  const projectPrefix = path.relative(repoRoot, path.resolve(projectDir)).split(path.sep).join("/");
  const patterns = guardedPatterns({ supabaseDir, projectPrefix });
  const location = codeownersLocations.find((l) => fs.existsSync(path.join(repoRoot, l))) ?? codeownersLocations[0];
  const file = path.join(repoRoot, location);
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const expected = renderCodeowners(current, owners, patterns, `Pulumi.${stack}.yaml`);
  const problems = codeownersProblems({ location, text: expected, patterns, existingFiles: guardedFiles(repoRoot, patterns), owners });
  return { file, current, expected, problems };
}

const usage = "usage: npm run codeowners [-- --stack prod] [--dir <project>] [--repository-root <dir>] [--check]";

function main(): void {
  // strict: an unknown or misspelt flag (--chek, --help) stops here, before the file is written.
  let values: { stack?: string; dir?: string; "repository-root"?: string; check?: boolean };
  try {
    ({ values } = parseArgs({
      options: { stack: { type: "string" }, dir: { type: "string" }, "repository-root": { type: "string" }, check: { type: "boolean" } },
      strict: true,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${usage}`, { cause: error });
  }
  const stack = values.stack ?? "prod";
  const projectDir = path.resolve(values.dir ?? process.cwd());
  const repoRoot = values["repository-root"] ? path.resolve(values["repository-root"]) : repositoryRootOf(projectDir);
  const gaps = releaseBranchGaps(projectDir, stack);
  if (gaps.length > 0) throw new Error(gaps.join("\n"));
  const target = codeownersTarget(projectDir, stack, repoRoot);
  const shown = path.relative(process.cwd(), target.file) || target.file;
  if (target.problems.length > 0) {
    // The block is last and wins; what is left are unreadable lines kept from the committed file.
    throw new Error(`The generated ${shown} would still not protect the guarded paths:\n${target.problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  if (values.check) {
    if (target.current !== target.expected)
      throw new Error(`${shown} is not what ${stack}'s release authority needs: run \`npm run codeowners\` and commit it.`);
    console.log(`${shown} gives the guarded paths to the release authority`);
    return;
  }
  fs.mkdirSync(path.dirname(target.file), { recursive: true });
  fs.writeFileSync(target.file, target.expected);
  console.log(`wrote ${shown}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
