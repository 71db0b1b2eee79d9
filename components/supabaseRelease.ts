import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { SupabaseSettings } from "../config/parse";
import { Tier } from "../config/schema";
import {
  functionDeployScript,
  functionSecretEnvName,
  functionSecretsScript,
  markerCheckScript,
  migrationScript,
  releaseGateScript,
  supabaseWorkdir,
} from "../lib/commands";

export interface SupabaseReleaseArgs {
  tier: Tier;
  projectRef: string;
  supabase: SupabaseSettings;
  /** Content hash of migrations and functions: what this stack releases. */
  releaseId: string;
  migrationsHash: string;
  functionHashes: Record<string, string>;
  dbPassword: pulumi.Output<string>;
  accessToken?: pulumi.Output<string>;
  functionSecrets: { name: string; value: pulumi.Input<string> }[];
  /** Extra environment for the integration tests (test tiers only). */
  testEnvironment: Record<string, pulumi.Input<string>>;
  /** Prod only: the release that passed on test, checked again by the release step itself. */
  gate?: { testedReleaseId: string; gateStack: string };
}

/**
 * The release of one Supabase project, in the model's order: check that the database is the one this stack
 * means, push migrations, deploy functions, set their secrets, and (test only) run the integration tests.
 * Each step's triggers are content hashes, so a no-op `up` runs nothing.
 */
export class SupabaseRelease extends pulumi.ComponentResource {
  /** Set on test tiers: the release id, known only once the integration tests have passed. */
  readonly passedReleaseId?: pulumi.Output<string>;

  constructor(name: string, args: SupabaseReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:supabase:SupabaseRelease", name, {}, opts);
    const s = args.supabase;
    // Command output may echo what the CLI saw; it is kept out of logs and stored only as a secret.
    const step = (role: string, create: string, inputs: Partial<command.local.CommandArgs>, dependsOn: pulumi.Resource[]) =>
      new command.local.Command(
        `${name}-${role}`,
        { create, logging: "none", addPreviousOutputInEnv: false, ...inputs },
        { parent: this, dependsOn, additionalSecretOutputs: ["stdout", "stderr"] },
      );
    const database = { DATABASE_URL: s.databaseUrl, PGPASSWORD: args.dbPassword };

    const first: pulumi.Resource[] = [];
    if (args.gate) {
      first.push(
        step(
          "release-gate",
          releaseGateScript(args.gate.gateStack),
          { environment: { RELEASE_ID: args.releaseId, TESTED_RELEASE_ID: args.gate.testedReleaseId }, triggers: [args.releaseId, args.gate.testedReleaseId] },
          [],
        ),
      );
    }
    const marker = step(
      "marker-check",
      markerCheckScript(s.markerTable, s.markerColumn),
      { environment: { ...database, EXPECTED_ENVIRONMENT: s.markerValue }, triggers: [args.migrationsHash] },
      first,
    );
    const push = step(
      "db-push",
      migrationScript(s.migrationCommand),
      { environment: { ...database, SUPABASE_WORKDIR: supabaseWorkdir(s.supabaseDir) }, triggers: [args.migrationsHash] },
      [marker],
    );
    const released: pulumi.Resource[] = [push];
    for (const fn of s.functions) {
      released.push(
        step(
          `function-${fn.name}`,
          functionDeployScript({ name: fn.name, projectRef: args.projectRef, verifyJwt: fn.verifyJwt, supabaseDir: s.supabaseDir }),
          { environment: { SUPABASE_ACCESS_TOKEN: requireToken(args.accessToken) }, triggers: [args.functionHashes[fn.name] ?? "", fn.verifyJwt] },
          [push],
        ),
      );
    }
    if (args.functionSecrets.length > 0) {
      const environment: Record<string, pulumi.Input<string>> = { SUPABASE_ACCESS_TOKEN: requireToken(args.accessToken) };
      for (const secret of args.functionSecrets) environment[functionSecretEnvName(secret.name)] = pulumi.secret(secret.value);
      released.push(
        step(
          "function-secrets",
          functionSecretsScript({ names: args.functionSecrets.map((f) => f.name), projectRef: args.projectRef, supabaseDir: s.supabaseDir }),
          { environment },
          [...released],
        ),
      );
    }
    if (s.integrationTestCommand) {
      const tests = step(
        "integration-tests",
        `set -eu\n${s.integrationTestCommand}`,
        { environment: { ...args.testEnvironment, ...database, SUPABASE_URL: s.url, RELEASE_ID: args.releaseId }, triggers: [args.releaseId] },
        released,
      );
      // Known only after the tests ran green in this or an earlier update: a failed run leaves the old value.
      this.passedReleaseId = tests.id.apply(() => args.releaseId);
    }
    this.registerOutputs({ passedReleaseId: this.passedReleaseId });
  }
}

function requireToken(token: pulumi.Output<string> | undefined): pulumi.Output<string> {
  if (!token) throw new Error("supabaseAccessToken was not loaded: config validation should have required it");
  return token;
}
