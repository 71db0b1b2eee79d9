import * as path from "path";

/**
 * Shell scripts for the release steps. They take every secret from the environment (never from their own text,
 * which Pulumi stores and shows in diffs) and print nothing that could hold one.
 */

export const supabaseCli = "./node_modules/.bin/supabase";

/** The folder the Supabase CLI calls its workdir: the parent of `supabase/`. */
export function supabaseWorkdir(supabaseDir: string): string {
  const parent = path.posix.dirname(supabaseDir);
  return parent === "" ? "." : parent;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Refuses a database whose marker does not say EXPECTED_ENVIRONMENT (set by the release step from
 * environmentMarkerValue, default the tier). Table and column are validated identifiers (config/parse.ts); the
 * column is double-quoted in the SQL, so even a reserved word such as `user` reads the column. A marker table
 * with several rows yields "a,b", which never equals one value (values cannot hold a comma).
 */
/** An unquoted, lowercase SQL identifier: safe inside the marker check's shell script and its SQL. */
export const sqlIdentifier = /^[a-z_][a-z0-9_]{0,62}$/;
/** A table name, optionally schema-qualified, made of lowercase SQL identifiers. */
export const sqlTableName = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

export function markerCheckScript(markerTable: string, markerColumn: string): string {
  // Config validation already refused anything else; these names go into shell text, so check once more.
  if (!sqlTableName.test(markerTable) || !sqlIdentifier.test(markerColumn)) {
    throw new Error(`marker table "${markerTable}" or column "${markerColumn}" is not a plain SQL identifier`);
  }
  const column = `\\"${markerColumn}\\"`;
  return [
    "set -eu",
    `found=$(psql "$DATABASE_URL" -X -q -t -A -v ON_ERROR_STOP=1 -c "select coalesce(string_agg(${column}::text, ','), '') from ${markerTable}" 2>/dev/null) || {`,
    `  echo "deploy-guardrails: cannot read the environment marker ${markerTable}.${markerColumn} in the target database. Create it once per database:" >&2`,
    `  echo "  create table ${markerTable} (${markerColumn} text primary key); insert into ${markerTable} (${markerColumn}) values ('$EXPECTED_ENVIRONMENT');" >&2`,
    "  exit 1",
    "}",
    'if [ "$found" != "$EXPECTED_ENVIRONMENT" ]; then',
    `  echo "deploy-guardrails: refusing to release: the database's marker ${markerTable}.${markerColumn} says '$found', but this stack releases to '$EXPECTED_ENVIRONMENT'. Check databaseUrl and supabaseProjectRef of this stack." >&2`,
    "  exit 1",
    "fi",
    'echo "environment marker matches: $EXPECTED_ENVIRONMENT"',
  ].join("\n");
}

export function functionDeployScript(args: { name: string; projectRef: string; verifyJwt: boolean; supabaseDir: string }): string {
  const flags = [`--remote=${args.projectRef}`, "--use-api", "--yes", "--workdir", supabaseWorkdir(args.supabaseDir)];
  if (!args.verifyJwt) flags.push("--no-verify-jwt");
  return `set -eu\n${supabaseCli} functions deploy ${shellQuote(args.name)} ${flags.map(shellQuote).join(" ")}`;
}

/** Environment variable that carries one function secret into the `secrets set` step. */
export function functionSecretEnvName(name: string): string {
  return `DG_SECRET_${name}`;
}

/** Writes the secrets to a private temporary env file, so no value appears in any process's argument list. */
export function functionSecretsScript(args: { names: string[]; projectRef: string; supabaseDir: string }): string {
  return [
    "set -eu",
    "umask 077",
    'envfile=$(mktemp)',
    "trap 'rm -f \"$envfile\"' EXIT",
    ...args.names.map((name) => `printf '%s=%s\\n' ${name} "$${functionSecretEnvName(name)}" >> "$envfile"`),
    `${supabaseCli} secrets set ${shellQuote(`--remote=${args.projectRef}`)} --yes --env-file "$envfile" --workdir ${shellQuote(supabaseWorkdir(args.supabaseDir))} > /dev/null`,
    `echo "set ${args.names.length} function secret(s)"`,
  ].join("\n");
}

export function migrationScript(migrationCommand: string): string {
  return `set -eu\n${migrationCommand}`;
}

export function releaseGateScript(gateStack: string): string {
  return [
    "set -eu",
    'if [ -z "$TESTED_RELEASE_ID" ] || [ "$RELEASE_ID" != "$TESTED_RELEASE_ID" ]; then',
    `  echo "deploy-guardrails: refusing to release $RELEASE_ID to prod: the release that passed on ${gateStack} is '$TESTED_RELEASE_ID'. Run pulumi up --stack test on this commit first." >&2`,
    "  exit 1",
    "fi",
    `echo "release $RELEASE_ID passed on ${gateStack}"`,
  ].join("\n");
}
