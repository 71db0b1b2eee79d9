import * as path from "path";
import { recordLine, recordPrefix } from "./release-evidence";
import { sqlIdentifier, sqlTableName } from "../contracts/sql-names";

/**
 * Shell scripts for the release steps. They take every secret from the environment (never from their own text,
 * which Pulumi stores and shows in diffs), send what tools print to stderr (kept only as a secret output, never
 * logged), and print on stdout only their record lines (lib/release-evidence.ts).
 */

export const supabaseCli = "./node_modules/.bin/supabase";

/** Keeps the Supabase CLI from calling its telemetry endpoint inside a release step (measured with strace on CLI 3.1.0). */
export const quietCli = { SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", SUPABASE_NO_UPDATE_NOTIFIER: "1" };

/**
 * The CLI's update check (api.github.com) has no switch; it is skipped for hours after `<supabase dir>/.temp/cli-latest`
 * was written (measured on CLI 3.1.0), so steps that run the CLI refresh that file first. `.temp` is the CLI's own,
 * git-ignored and never part of a release (io/release-files.ts).
 */
export function skipCliUpdateCheck(supabaseDir: string): string {
  return `mkdir -p ${shellQuote(`${supabaseDir}/.temp`)} && touch ${shellQuote(`${supabaseDir}/.temp/cli-latest`)}`;
}

/**
 * What a release step inherits from the `pulumi` process besides its own `environment`: enough to find tools and
 * reach the database and the Management API (SUPABASE_PROFILE names the CLI's API endpoint, as the offline tests'
 * fake of it does), and nothing that opens the stack (passphrase, backend or cloud credentials, GITHUB_TOKEN).
 */
export const inheritedVariables = [
  "PATH",
  "HOME",
  "LANG",
  "LC_ALL",
  "TZ",
  "TMPDIR",
  "PGSSLMODE",
  "PGSSLROOTCERT",
  "PGCONNECT_TIMEOUT",
  "SUPABASE_API_URL",
  "SUPABASE_PROFILE",
];

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const shellName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Runs `body` in a shell whose environment holds only the inherited variables and the step's own (`allowed`):
 * integration tests and migration tools must not be able to decrypt the stack or rewrite its outputs.
 */
export function withCleanEnvironment(body: string, allowed: string[]): string {
  const names = [...new Set([...inheritedVariables, ...allowed])].sort();
  for (const name of names) if (!shellName.test(name)) throw new Error(`environment variable name ${JSON.stringify(name)} is not a shell name`);
  return [
    "set -eu",
    "set --",
    `for name in ${names.join(" ")}; do`,
    '  eval "if [ -n \\"\\${$name+x}\\" ]; then set -- \\"\\$@\\" \\"$name=\\${$name}\\"; fi"',
    "done",
    `exec env -i "$@" /bin/sh -c ${shellQuote(body)}`,
  ].join("\n");
}

/** The folder the Supabase CLI calls its workdir: the parent of `supabase/`. */
export function supabaseWorkdir(supabaseDir: string): string {
  const parent = path.posix.dirname(supabaseDir);
  return parent === "" ? "." : parent;
}

function requireIdentifiers(table: string, column?: string): void {
  // Config validation already refused anything else; these names go into shell text and SQL, so check once more.
  if (!sqlTableName.test(table) || (column !== undefined && !sqlIdentifier.test(column))) {
    throw new Error(`table "${table}"${column ? ` or column "${column}"` : ""} is not a plain SQL identifier`);
  }
}

const psql = 'psql "$DATABASE_URL" -X -q -t -A -v ON_ERROR_STOP=1';

/**
 * Refuses a database whose marker does not say EXPECTED_ENVIRONMENT. A database that cannot be read shows psql's
 * own error (a wrong password or a server that is down must not look like a missing marker); only a missing table
 * gets the advice to create it. A marker table with several rows yields "a,b", which never equals one value.
 */
export function markerCheckScript(markerTable: string, markerColumn: string): string {
  requireIdentifiers(markerTable, markerColumn);
  const where = `${markerTable}.${markerColumn}`;
  return [
    "set -eu",
    "errors=$(mktemp)",
    "trap 'rm -f \"$errors\"' EXIT",
    `if ! found=$(${psql} -c 'select coalesce(string_agg("${markerColumn}"::text, '"','"'), '"''"') from ${markerTable}' 2>"$errors"); then`,
    '  if grep -q "relation .* does not exist" "$errors"; then',
    `    echo "deploy-guardrails: the target database has no environment marker ${where} (psql: $(tr '\\n' ' ' <"$errors"))." >&2`,
    `    echo "  If this is the database this stack releases to, create the marker once: create table ${markerTable} (${markerColumn} text primary key); insert into ${markerTable} (${markerColumn}) values ('$EXPECTED_ENVIRONMENT');" >&2`,
    "  else",
    `    echo "deploy-guardrails: cannot read the environment marker ${where}; nothing was changed. psql said:" >&2`,
    "    sed 's/^/  /' \"$errors\" >&2",
    '    echo "  Check databaseUrl and supabaseDbPassword of this stack (and that the database is reachable)." >&2',
    "  fi",
    "  exit 1",
    "fi",
    'if [ "$found" != "$EXPECTED_ENVIRONMENT" ]; then',
    `  echo "deploy-guardrails: refusing to release: the database's marker ${where} says '$found', but this stack releases to '$EXPECTED_ENVIRONMENT'. Check databaseUrl and supabaseProjectRef of this stack." >&2`,
    "  exit 1",
    "fi",
    `echo "${recordLine("marker", "$EXPECTED_ENVIRONMENT", "$RELEASE_ID")}"`,
  ].join("\n");
}

/** SQL text of one migration-history row's statements, normalised the way releaseIdentity normalises files. */
const historyRows = (table: string) =>
  `select h.version, coalesce(to_jsonb(h)->>'name', ''), ` +
  `case when to_jsonb(h) ? 'statements' then left(encode(sha256(convert_to(regexp_replace(array_to_string(array(select jsonb_array_elements_text(to_jsonb(h)->'statements')), ''), E'[ \\t\\n\\r\\f\\x0b;]', '', 'g'), 'UTF8')), 'hex'), 16) else '' end ` +
  `from ${table} h order by length(h.version), h.version`;

export interface MigrationCheckSettings {
  historyTable: string;
  /** Versions at or below it were applied before deploy-guardrails released this database. */
  baseline?: string;
  /** Versions applied outside a release on purpose, accepted as they are. */
  acknowledged: string[];
  /** Only prod refuses out-of-order versions; these are allowed anyway. */
  checkOrder: boolean;
  allowedOutOfOrder: string[];
}

/**
 * The checks before and after a migration command (phase before/after), and of the scheduled drift check (phase
 * drift), as one psql script reading the psql variables manifest (`<version> <name> <digest> <normalised digest>`
 * lines), ledger, baseline, acknowledged, allowed, check_order and phase. Each problem is one line.
 */
export function migrationCheckSql(table: string): string {
  requireIdentifiers(table);
  return [
    "\\set ON_ERROR_STOP on",
    "\\pset format unaligned",
    "\\pset tuples_only on",
    "create temp table local_files as select split_part(l, ' ', 1) as version, split_part(l, ' ', 2) as name, split_part(l, ' ', 3) as digest, split_part(l, ' ', 4) as normalised from regexp_split_to_table(:'manifest', E'\\n') l where l <> '';",
    "create temp table ledger as select split_part(e, ':', 1) as version, split_part(e, ':', 2) as digest from regexp_split_to_table(:'ledger', ',') e where e <> '';",
    "create temp table accepted as select v as version from regexp_split_to_table(:'acknowledged', ',') v where v <> '';",
    "create temp table allowed as select v as version from regexp_split_to_table(:'allowed', ',') v where v <> '';",
    "create temp table history (version text, name text, normalised text);",
    `select to_regclass('${table}') is not null as has_history \\gset`,
    "\\if :has_history",
    `insert into history ${historyRows(table)};`,
    "\\endif",
    "create function pg_temp.n(v text) returns numeric language sql immutable as $$ select case when v ~ '^[0-9]+$' then v::numeric end $$;",
    "select problem from (",
    // Before and after: the history and the files must agree on every released version; before, every recorded
    // version must have been applied by a release of this stack (after, the new ones were applied by this one).
    `  select 1 as o, h.version, format('the database''s migration history (${table}) records version %s (%s), but the migrations folder has no file for it: a released migration was deleted or renamed. Restore the file %s_%s.sql exactly as it was released.', h.version, coalesce(nullif(h.name, ''), 'no name'), h.version, h.name) as problem from history h where not exists (select 1 from local_files f where f.version = h.version)`,
    `  union all select 2, f.version, format('%s_%s.sql was renamed after it was applied: the history records it as %s_%s. Give the file back its released name.', f.version, f.name, h.version, h.name) from local_files f join history h using (version) where h.name <> '' and h.name <> f.name`,
    `  union all select 3, f.version, format('%s_%s.sql was edited after it was applied (its statements differ from the ones the history recorded). A released migration must never change: restore it and put the change into a new migration.', f.version, f.name) from local_files f join history h using (version) where h.normalised <> '' and h.normalised <> f.normalised`,
    `  union all select 4, f.version, format('%s_%s.sql changed after a release of this stack applied it. A released migration must never change: restore it and put the change into a new migration.', f.version, f.name) from local_files f join ledger l using (version) where l.digest <> f.digest`,
    `  union all select 5, l.version, format('version %s was applied by a release of this stack, but the migrations folder has no file for it: a released migration was deleted. Restore it exactly as it was released.', l.version) from ledger l where not exists (select 1 from local_files f where f.version = l.version)`,
    `  union all select 6, h.version, format('the history records version %s (%s), which no release of this stack applied: it was applied by hand, or the row was written directly, so this release cannot prove it ran here. If the row was written without running the migration, delete it (supabase migration repair --status reverted %s) and release again; if it really ran, list it in deploy-guardrails:acknowledgedMigrations with the reason.%s', h.version, coalesce(nullif(h.name, ''), 'no name'), h.version, case when not exists (select 1 from ledger) then ' This stack has no ledger yet: if the database already had these migrations before this stack released it (adopting it, or upgrading from a deploy-guardrails without a ledger), set deploy-guardrails:migrationBaseline to the newest version it had.' else '' end) from history h where :'phase' in ('before', 'drift') and not exists (select 1 from ledger l where l.version = h.version) and not exists (select 1 from accepted a where a.version = h.version) and (:'baseline' = '' or pg_temp.n(h.version) is null or pg_temp.n(h.version) > pg_temp.n(:'baseline'))`,
    // Before only: what the command is about to apply.
    `  union all select 7, f.version, format('%s_%s.sql is older than migrationBaseline %s but was never applied; nothing below the baseline can be released. Give it a new version above the baseline.', f.version, f.name, :'baseline') from local_files f where :'phase' = 'before' and :'baseline' <> '' and pg_temp.n(f.version) <= pg_temp.n(:'baseline') and not exists (select 1 from history h where h.version = f.version)`,
    `  union all select 8, f.version, format('%s_%s.sql is older than the newest applied migration (%s) but has not been applied: applying it now runs it out of order. Give it a new version, or, after checking it is safe, list "%s" in deploy-guardrails:allowOutOfOrderMigrations.', f.version, f.name, (select max(version) from history where pg_temp.n(version) = (select max(pg_temp.n(version)) from history)), f.version) from local_files f where :'phase' = 'before' and :'check_order' = 'true' and not exists (select 1 from history h where h.version = f.version) and not exists (select 1 from allowed a where a.version = f.version) and pg_temp.n(f.version) < (select max(pg_temp.n(version)) from history)`,
    // After only: the command must have applied every file.
    `  union all select 9, f.version, format('the migration command finished, but the history (${table}) does not record %s_%s.sql: it was not applied. Check migrationCommand.', f.version, f.name) from local_files f where :'phase' = 'after' and not exists (select 1 from history h where h.version = f.version)`,
    // The drift check: a file the database does not have (a release still pending, or a migration reverted by hand).
    `  union all select 10, f.version, format('%s_%s.sql is not applied to this database: %s', f.version, f.name, case when exists (select 1 from ledger l where l.version = f.version) then 'a release applied it, so it was reverted or the history row deleted by hand' else 'a release of it is still pending' end) from local_files f where :'phase' = 'drift' and not exists (select 1 from history h where h.version = f.version)`,
    ") problems order by o, pg_temp.n(version), version;",
  ].join("\n");
}

/** Prints the new ledger: the old one plus every file version the history now records that it lacked. */
const ledgerSql = (table: string) =>
  [
    "\\set ON_ERROR_STOP on",
    "\\pset format unaligned",
    "\\pset tuples_only on",
    "create temp table local_files as select split_part(l, ' ', 1) as version, split_part(l, ' ', 3) as digest from regexp_split_to_table(:'manifest', E'\\n') l where l <> '';",
    "create temp table ledger as select split_part(e, ':', 1) as version, split_part(e, ':', 2) as digest from regexp_split_to_table(:'ledger', ',') e where e <> '';",
    "create temp table before as select v as version from regexp_split_to_table(:'before', ',') v where v <> '';",
    `insert into ledger select f.version, f.digest from local_files f join ${table} h on h.version = f.version where not exists (select 1 from ledger l where l.version = f.version) and not exists (select 1 from before b where b.version = f.version);`,
    "select coalesce(string_agg(version || ':' || digest, ',' order by length(version), version), '') from ledger;",
  ].join("\n");

/**
 * The migration step: check the database's history against the files and the ledger, run the migration command,
 * check again, and record the manifest digest and the new ledger. MANIFEST, MIGRATIONS_DIGEST, LEDGER and the check
 * settings come from the step's environment; PULUMI_COMMAND_STDOUT holds the step's previous records on an update.
 */
export function migrationScript(migrationCommand: string, checks: MigrationCheckSettings, supabaseDir?: string): string {
  requireIdentifiers(checks.historyTable);
  const vars = (phase: string) =>
    `-v manifest="$MANIFEST" -v ledger="$ledger" -v acknowledged=${shellQuote(checks.acknowledged.join(","))} -v allowed=${shellQuote(checks.allowedOutOfOrder.join(","))} -v baseline=${shellQuote(checks.baseline ?? "")} -v check_order=${checks.checkOrder} -v phase=${phase}`;
  const refuseOn = (phase: string, intro: string) => [
    `problems=$(${psql} ${vars(phase)} -f "$work/check.sql")`,
    'if [ -n "$problems" ]; then',
    `  echo ${shellQuote(intro)} >&2`,
    `  printf '%s\\n' "$problems" | sed 's/^/  - /' >&2`,
    "  exit 1",
    "fi",
  ];
  return [
    "set -eu",
    "work=$(mktemp -d)",
    "trap 'rm -rf \"$work\"' EXIT",
    `cat >"$work/check.sql" <<'DEPLOY_GUARDRAILS_SQL'\n${migrationCheckSql(checks.historyTable)}\nDEPLOY_GUARDRAILS_SQL`,
    `cat >"$work/ledger.sql" <<'DEPLOY_GUARDRAILS_SQL'\n${ledgerSql(checks.historyTable)}\nDEPLOY_GUARDRAILS_SQL`,
    // The ledger of the last real run (an update) joined with the one the program read from the stack's outputs.
    `previous=$(printf '%s\\n' "\${PULUMI_COMMAND_STDOUT:-}" | sed -n 's/^${recordPrefix} ledger //p' | tail -n 1)`,
    "ledger=$(printf '%s' \"$LEDGER,$previous\" | tr ',' '\\n' | grep -E '^[0-9]+:[0-9a-f]{16}$' | sort -u -t: -k1,1 | paste -sd, - || true)",
    ...refuseOn("before", "deploy-guardrails: refusing to migrate: the database's migration history and the migrations folder disagree:"),
    `before=$(${psql} -c "select coalesce(string_agg(version, ','), '') from ${checks.historyTable}" 2>/dev/null || true)`,
    ...(supabaseDir && migrationCommand.includes(supabaseCli) ? [skipCliUpdateCheck(supabaseDir)] : []),
    `( ${migrationCommand}\n) >&2`,
    ...refuseOn("after", "deploy-guardrails: the migration command did not leave the history as the release expects:"),
    `ledger=$(${psql} -v manifest="$MANIFEST" -v ledger="$ledger" -v before="$before" -f "$work/ledger.sql")`,
    `echo "${recordLine("migrations", "$MIGRATIONS_DIGEST")}"`,
    `echo "${recordLine("ledger", "$ledger")}"`,
  ].join("\n");
}

export function functionDeployScript(args: { name: string; projectRef: string; verifyJwt: boolean; supabaseDir: string }): string {
  const flags = [`--remote=${args.projectRef}`, "--use-api", "--yes", "--workdir", supabaseWorkdir(args.supabaseDir)];
  if (!args.verifyJwt) flags.push("--no-verify-jwt");
  return [
    "set -eu",
    skipCliUpdateCheck(args.supabaseDir),
    `${supabaseCli} functions deploy ${shellQuote(args.name)} ${flags.map(shellQuote).join(" ")} >&2`,
    `echo "${recordLine("function", shellQuoteFree(args.name), "$FUNCTION_DIGEST", `verifyJwt=${args.verifyJwt}`)}"`,
  ].join("\n");
}

/** Function names are validated slugs (config/schema.ts); inside double quotes they need no quoting, but check. */
function shellQuoteFree(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new Error(`function name ${JSON.stringify(name)} is not a slug`);
  return name;
}

/** Environment variable that carries one function secret into the `secrets set` step. */
export function functionSecretEnvName(name: string): string {
  return `DG_SECRET_${name}`;
}

/** Writes the secrets to a private temporary env file, so no value appears in any process's argument list. */
export function functionSecretsScript(args: { names: string[]; projectRef: string; supabaseDir: string }): string {
  return [
    "set -eu",
    skipCliUpdateCheck(args.supabaseDir),
    "umask 077",
    "envfile=$(mktemp)",
    "trap 'rm -f \"$envfile\"' EXIT",
    ...args.names.map((name) => `printf '%s=%s\\n' ${name} "$${functionSecretEnvName(name)}" >> "$envfile"`),
    `${supabaseCli} secrets set ${shellQuote(`--remote=${args.projectRef}`)} --yes --env-file "$envfile" --workdir ${shellQuote(supabaseWorkdir(args.supabaseDir))} >&2`,
    `echo "${recordLine("secrets", "$SECRET_NAMES_DIGEST")}"`,
  ].join("\n");
}

/** Compares the steps' records with what this release needs, and names each step that did not run for it. */
function evidenceCheck(refusal: string): string[] {
  return [
    'missing=$(printf \'%s\\n\' "$EXPECTED_EVIDENCE" | grep -vxF -e "$(printf \'%s\\n\' "$RELEASE_EVIDENCE")" || true)',
    'if [ -z "$RELEASE_EVIDENCE" ] || [ -n "$missing" ]; then',
    `  echo ${shellQuote(refusal)} >&2`,
    `  printf '%s\\n' "\${missing:-$EXPECTED_EVIDENCE}" | sed 's/^${recordPrefix} /  - /' >&2`,
    '  echo "  Run a full pulumi up of this stack (no --target, --exclude or --continue-on-error)." >&2',
    "  exit 1",
    "fi",
  ];
}

/**
 * The test tier's last step: it records the release as passed only when every earlier step recorded this release
 * (so a targeted, excluded or failed update cannot), and only after the integration tests succeeded.
 */
export function integrationTestScript(integrationTestCommand: string): string {
  return [
    "set -eu",
    ...evidenceCheck("deploy-guardrails: refusing to run the integration tests for $RELEASE_ID: these release steps have not run for it:"),
    `( ${integrationTestCommand}\n) >&2`,
    `echo "${recordLine("passed", "$RELEASE_ID")}"`,
    // The commit these tests ran on: the one whose production deployment prod may promote with this release.
    `if [ -n "\${RELEASE_COMMIT:-}" ]; then echo "${recordLine("commit", "$RELEASE_COMMIT")}"; fi`,
    `if [ -n "\${RELEASE_TREE:-}" ]; then echo "${recordLine("tree", "$RELEASE_TREE")}"; fi`,
  ].join("\n");
}

/** Prod's last step: `releasedId` comes from here, so a release that failed part-way publishes nothing. */
export function releaseRecordScript(): string {
  return [
    "set -eu",
    ...evidenceCheck("deploy-guardrails: refusing to record $RELEASE_ID as released: these release steps have not run for it:"),
    `echo "${recordLine("released", "$RELEASE_ID")}"`,
  ].join("\n");
}

export function releaseGateScript(gateStack: string): string {
  return [
    "set -eu",
    'if [ -z "$TESTED_RELEASE_ID" ] || [ "$RELEASE_ID" != "$TESTED_RELEASE_ID" ]; then',
    `  echo "deploy-guardrails: refusing to release $RELEASE_ID to prod: the release that passed on ${gateStack} is '$TESTED_RELEASE_ID'. Run pulumi up --stack test on this commit first." >&2`,
    "  exit 1",
    "fi",
    `echo "release $RELEASE_ID passed on ${gateStack}" >&2`,
  ].join("\n");
}
