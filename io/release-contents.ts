import * as path from "path";
import { importedFilesOutside, readRegularFiles } from "./release-files";
import { FileEntry, ReleaseConfig, ReleaseContents, ReleaseParts, hashEntries, migrationManifest, releaseIdOf } from "../lib/release-identity";

const under = (entries: FileEntry[], folder: string) =>
  entries.filter((e) => e.path.startsWith(`${folder}/`)).map((e) => ({ path: e.path.slice(folder.length + 1), content: e.content }));

/**
 * Reads every regular file under supabaseDir and what edge functions import from outside it, and names the release.
 * A function's digest covers its folder, the shared files (functions/_shared and files directly in functions/), and
 * everything it imports, so a change to any of them redeploys exactly the functions that use it.
 */
export function readReleaseContents(projectDir: string, config: ReleaseConfig): ReleaseContents {
  const tree = readRegularFiles(path.join(projectDir, config.supabaseDir), config.supabaseDir);
  const problems = [...tree.problems];
  const manifest = migrationManifest(under(tree.entries, "migrations"), `${config.supabaseDir}/migrations`);
  problems.push(...manifest.problems);
  const functionFiles = under(tree.entries, "functions");
  const shared = functionFiles.filter((e) => e.path.startsWith("_shared/") || !e.path.includes("/"));
  const imported: FileEntry[] = [];
  const functions = config.functions.map((fn) => {
    const own = functionFiles.filter((e) => e.path.startsWith(`${fn.name}/`));
    if (own.length === 0)
      problems.push(
        `edgeFunctions lists "${fn.name}", but ${config.supabaseDir}/functions/${fn.name}/ has no files. Add the function or remove it from edgeFunctions.`,
      );
    const outside = importedFilesOutside({ projectDir, supabaseDir: config.supabaseDir, functionFiles: [...own, ...shared] });
    problems.push(...outside.problems);
    imported.push(...outside.entries);
    const entries = [...own, ...shared].map((e) => ({ path: `functions/${e.path}`, content: e.content }));
    return {
      name: fn.name,
      verifyJwt: fn.verifyJwt,
      digest: hashEntries([...entries, ...outside.entries.map((e) => ({ path: `project/${e.path}`, content: e.content }))]).slice(0, 16),
    };
  });
  const uniqueImports = [...new Map(imported.map((e) => [e.path, e])).values()];
  const parts: ReleaseParts = {
    files: hashEntries(tree.entries),
    imports: hashEntries(uniqueImports),
    functions,
    functionSecretNames: [...config.functionSecretNames].sort(),
    migrationCommand: config.migrationCommand,
  };
  return { releaseId: releaseIdOf(parts), parts, migrations: manifest.migrations, functions, problems: [...new Set(problems)] };
}
