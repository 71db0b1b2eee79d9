import { createHash } from "crypto";

/** A file of the release, with its path relative to the folder it was read from (forward slashes). */
export interface FileEntry {
  path: string;
  content: Buffer;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

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

/** A migration file as the release and the migration checks see it. */
export interface MigrationFile {
  version: string;
  name: string;
  /** The file's exact bytes, hashed: what a release applied, recorded in the ledger. */
  digest: string;
  /** The statements without whitespace and semicolons, hashed: comparable with what the CLI's history records. */
  normalised: string;
}

/** `<version>_<name>.sql` as the Supabase CLI names migrations; names are kept shell- and SQL-safe. */
export const migrationFileName = /^([0-9]+)_([A-Za-z0-9_.-]+)\.sql$/;

/** Short digests: enough to tell released files apart (a second preimage, not a collision, is what an attack needs). */
export const digestOf = (content: Buffer | string): string => sha256(content).slice(0, 16);

/**
 * The Supabase CLI records each statement without the whitespace and semicolon around it; removing every one of
 * those characters (the same set as the SQL of lib/commands.ts) and a leading byte-order mark, which the CLI also
 * drops, makes a file comparable with its recorded history (checked against the CLI 3.1.0 on PostgreSQL 15).
 */
export const normalisedDigest = (content: Buffer | string): string =>
  digestOf(
    content
      .toString()
      .replace(/^\ufeff/, "")
      .replace(/[ \t\n\r\f\v;]/g, ""),
  );

/**
 * The migrations of a release, from the files of the migrations folder. Anything the CLI would silently skip or
 * that cannot be named safely is a problem, because a migration that never runs is as wrong as one that runs twice.
 */
export function migrationManifest(entries: FileEntry[], folder: string): { migrations: MigrationFile[]; problems: string[] } {
  const migrations: MigrationFile[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const match = migrationFileName.exec(entry.path);
    if (!match) {
      problems.push(
        `${folder}/${entry.path} is not named <version>_<name>.sql (digits, then letters, digits, '.', '_' or '-'); the Supabase CLI would skip it. Rename or move it.`,
      );
      continue;
    }
    const [, version, name] = match;
    const earlier = seen.get(version);
    if (earlier) problems.push(`${folder}/${earlier} and ${folder}/${entry.path} share the version ${version}; give one of them a new version.`);
    seen.set(version, entry.path);
    migrations.push({ version, name, digest: digestOf(entry.content), normalised: normalisedDigest(entry.content) });
  }
  return { migrations, problems };
}

/** One line per migration, `<version> <name> <digest> <normalised>`: the form the release steps and the diff show. */
export function manifestText(migrations: MigrationFile[]): string {
  return migrations.map((m) => `${m.version} ${m.name} ${m.digest} ${m.normalised}`).join("\n");
}

export interface ReleaseFunction {
  name: string;
  verifyJwt: boolean;
  /** Every file the function deploys: its folder, what it imports, and the shared files of functions/. */
  digest: string;
}

/** Everything that decides what a release runs on a database or a Supabase project. */
export interface ReleaseParts {
  /** Every regular file under supabaseDir: migrations, functions, config.toml, seed, scripts. */
  files: string;
  /** Files outside supabaseDir that functions import. */
  imports: string;
  functions: ReleaseFunction[];
  functionSecretNames: string[];
  migrationCommand: string;
}

/** Canonical text of the parts: key order and list order fixed, so equal parts always give equal ids. */
function canonicalParts(parts: ReleaseParts): string {
  return JSON.stringify({
    files: parts.files,
    imports: parts.imports,
    functions: [...parts.functions].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => [f.name, f.verifyJwt, f.digest]),
    functionSecretNames: [...parts.functionSecretNames].sort(),
    migrationCommand: parts.migrationCommand,
  });
}

export const releaseIdPattern = /^rel-[0-9a-f]{24}$/;

/** The release id: what test proves and prod releases. */
export function releaseIdOf(parts: ReleaseParts): string {
  return `rel-${sha256(canonicalParts(parts)).slice(0, 24)}`;
}

/** Which parts differ between two releases, in the words of the config keys and folders a user changes. */
export function partsDifference(ours: ReleaseParts, theirs: ReleaseParts, supabaseDir: string): string[] {
  const differences: string[] = [];
  if (ours.files !== theirs.files) differences.push(`the files under ${supabaseDir}/ (migrations, functions, config.toml)`);
  if (ours.imports !== theirs.imports) differences.push(`files outside ${supabaseDir}/ that edge functions import`);
  const describe = (fns: ReleaseFunction[]) => new Map(fns.map((f) => [f.name, f]));
  const mine = describe(ours.functions);
  const other = describe(theirs.functions);
  for (const name of new Set([...mine.keys(), ...other.keys()])) {
    const a = mine.get(name);
    const b = other.get(name);
    if (!a || !b) differences.push(`edgeFunctions: "${name}" is listed on ${a ? "this" : "the other"} stack only`);
    else if (a.verifyJwt !== b.verifyJwt) differences.push(`edgeFunctions: verifyJwt of "${name}"`);
  }
  if (
    canonicalParts({ ...ours, files: "", imports: "", functions: [], migrationCommand: "" }) !==
    canonicalParts({ ...theirs, files: "", imports: "", functions: [], migrationCommand: "" })
  ) {
    differences.push("functionSecrets (the names of the function secrets)");
  }
  if (ours.migrationCommand !== theirs.migrationCommand) differences.push("migrationCommand");
  return differences;
}

/** What the working tree releases: read from disk once, before any resource is registered. */
export interface ReleaseContents {
  releaseId: string;
  parts: ReleaseParts;
  migrations: MigrationFile[];
  functions: ReleaseFunction[];
  /** Files that cannot be released (links, badly named migrations, imports outside the project). */
  problems: string[];
}

export interface ReleaseConfig {
  supabaseDir: string;
  functions: { name: string; verifyJwt: boolean }[];
  functionSecretNames: string[];
  migrationCommand: string;
}
