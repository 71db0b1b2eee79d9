import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { SupabaseSettings } from "../config/parse";
import { Tier } from "../config/schema";
import {
  functionDeployScript,
  functionSecretEnvName,
  functionSecretsScript,
  integrationTestScript,
  markerCheckScript,
  migrationScript,
  quietCli,
  releaseGateScript,
  releaseRecordScript,
  supabaseWorkdir,
  withCleanEnvironment,
} from "../lib/commands";
import { evidenceOf, expectedEvidence, formatLedger, parseLedger, recordedRelease, recordsOf } from "../lib/release-evidence";
import { commitPattern } from "../contracts/promotion";
import { ReleaseContents, digestOf, manifestText } from "../lib/release-identity";
import { ReleaseMode } from "../lib/release-plan";
import { releaseEvidenceVariable } from "../contracts/release-steps";

export interface SupabaseReleaseArgs {
  tier: Tier;
  projectRef: string;
  supabase: SupabaseSettings;
  contents: ReleaseContents;
  mode: ReleaseMode;
  /** What this stack's last update recorded (its own outputs), to start the ledger and to keep outputs in marker-only mode. */
  previous: { migrationLedger?: string; releasedId?: string };
  dbPassword: pulumi.Output<string>;
  accessToken?: pulumi.Output<string>;
  functionSecrets: { name: string; value: pulumi.Input<string> }[];
  /** Extra environment for the integration tests (test tiers only). */
  testEnvironment: Record<string, pulumi.Input<string>>;
  /** Test tiers: the commit this run releases, and its tree (lib/release-commit.ts); the tests re-run for a new one and record both. */
  commit?: string;
  tree?: string;
}

/**
 * The release of one database (and Supabase project), in the model's order: check that the database is the one this
 * stack means, check and push migrations, deploy functions, set their secrets, and run the integration tests (test)
 * or record the release (prod). Every step prints a record of what it did; the last step compares those records with
 * what this release needs, so only a release whose every step really ran is published as passed or released.
 */
export class SupabaseRelease extends pulumi.ComponentResource {
  /** The environment marker check: resources that carry this database's values wait for it. */
  readonly markerCheck: command.local.Command;
  /** Test tiers: the release whose integration tests passed, as the tests step recorded it. */
  readonly passedReleaseId?: pulumi.Output<string>;
  /** Test tiers: the commit those tests ran on and its tree, as the tests step recorded them ("" when the run knew none). */
  readonly passedCommit?: pulumi.Output<string>;
  readonly passedTree?: pulumi.Output<string>;
  /** Prod: the release whose every step ran, as the release record step recorded it. */
  readonly releasedId?: pulumi.Output<string>;
  /** Prod releasing: the step that records the release; the promotion waits for it and checks its record. */
  readonly releaseRecord?: command.local.Command;
  /** Every migration version a release of this stack applied, with the digest of the file it applied. */
  readonly migrationLedger: pulumi.Output<string>;
  /** The digest of every function as its deploy step last recorded it. */
  readonly releasedFunctions: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SupabaseReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:supabase:SupabaseRelease", name, {}, opts);
    const s = args.supabase;
    const { releaseId } = args.contents;
    // Tools print to stderr, kept only as a secret; stdout holds nothing but the step's record lines.
    const step = (
      role: string,
      body: string,
      environment: Record<string, pulumi.Input<string>>,
      dependsOn: pulumi.Resource[],
      extra: { inherit?: string[]; ignoreChanges?: string[] } = {},
    ) =>
      new command.local.Command(
        `${name}-${role}`,
        {
          create: withCleanEnvironment(body, [...Object.keys(environment), ...(extra.inherit ?? [])]),
          environment,
          logging: "none",
          addPreviousOutputInEnv: true,
        },
        { parent: this, dependsOn, additionalSecretOutputs: ["stderr"], ignoreChanges: extra.ignoreChanges },
      );
    const database = { DATABASE_URL: s.databaseUrl, PGPASSWORD: args.dbPassword };

    const gate: pulumi.Resource[] = [];
    if (args.mode.kind === "release") {
      gate.push(step("release-gate", releaseGateScript(args.mode.gateStack), { RELEASE_ID: releaseId, TESTED_RELEASE_ID: args.mode.testedReleaseId }, []));
    }
    this.markerCheck = step(
      "marker-check",
      markerCheckScript(s.markerTable, s.markerColumn),
      { ...database, EXPECTED_ENVIRONMENT: s.markerValue, RELEASE_ID: releaseId },
      gate,
    );

    if (args.mode.kind === "marker-only") {
      this.migrationLedger = pulumi.output(args.previous.migrationLedger ?? "");
      this.releasedFunctions = pulumi.output<Record<string, string>>({});
      this.releasedId = pulumi.output(args.previous.releasedId ?? "nothing");
      this.registerOutputs({ releasedId: this.releasedId, migrationLedger: this.migrationLedger });
      return;
    }

    const manifest = manifestText(args.contents.migrations);
    const migrationsDigest = digestOf(manifest);
    const rules = s.migrationRules;
    const push = step(
      "db-push",
      migrationScript(
        s.migrationCommand,
        {
          historyTable: rules.historyTable,
          baseline: rules.baseline,
          acknowledged: rules.acknowledged.map((a) => a.version),
          checkOrder: args.tier === "prod",
          allowedOutOfOrder: rules.allowedOutOfOrder,
        },
        s.supabaseDir,
      ),
      // DEPLOY_TIER lets one migration command (the same on every stack: it is part of the release) know where it runs.
      {
        ...database,
        ...quietCli,
        DEPLOY_TIER: args.tier,
        SUPABASE_WORKDIR: supabaseWorkdir(s.supabaseDir),
        MANIFEST: manifest,
        MIGRATIONS_DIGEST: migrationsDigest,
        LEDGER: args.previous.migrationLedger ?? "",
      },
      [this.markerCheck],
      // The ledger the program read counts on create only; an update starts from the step's own last record.
      { inherit: ["PULUMI_COMMAND_STDOUT"], ignoreChanges: ["environment.LEDGER"] },
    );
    const released: command.local.Command[] = [push];
    for (const fn of args.contents.functions) {
      released.push(
        step(
          `function-${fn.name}`,
          functionDeployScript({ name: fn.name, projectRef: args.projectRef, verifyJwt: fn.verifyJwt, supabaseDir: s.supabaseDir }),
          { ...quietCli, SUPABASE_ACCESS_TOKEN: requireToken(args.accessToken), FUNCTION_DIGEST: fn.digest },
          [push],
        ),
      );
    }
    const secretNamesDigest =
      args.functionSecrets.length > 0
        ? digestOf(
            args.functionSecrets
              .map((f) => f.name)
              .sort()
              .join(","),
          )
        : undefined;
    if (secretNamesDigest) {
      const environment: Record<string, pulumi.Input<string>> = {
        ...quietCli,
        SUPABASE_ACCESS_TOKEN: requireToken(args.accessToken),
        SECRET_NAMES_DIGEST: secretNamesDigest,
      };
      for (const secret of args.functionSecrets) environment[functionSecretEnvName(secret.name)] = pulumi.secret(secret.value);
      released.push(
        step(
          "function-secrets",
          functionSecretsScript({ names: args.functionSecrets.map((f) => f.name), projectRef: args.projectRef, supabaseDir: s.supabaseDir }),
          environment,
          [...released],
        ),
      );
    }
    const steps = [this.markerCheck, ...released];
    const evidence = {
      EXPECTED_EVIDENCE: expectedEvidence({
        markerValue: s.markerValue,
        releaseId,
        migrationsDigest,
        functions: args.contents.functions,
        secretNamesDigest,
      }).join("\n"),
      [releaseEvidenceVariable]: pulumi.all(steps.map((c) => c.stdout)).apply((outs) => outs.flatMap(evidenceOf).join("\n")),
      RELEASE_ID: releaseId,
    };
    // The command provider marks every output secret once any input is (a step's environment holds a password), so
    // the records come back secret. Only what they were checked to be (release ids, ledger entries, digests) is made
    // plain again, so the other stacks and the release plan can read it without a passphrase.
    this.migrationLedger = pulumi.unsecret(push.stdout.apply((out) => formatLedger(parseLedger(recordsOf(out).get("ledger")))));
    this.releasedFunctions = pulumi.unsecret(
      pulumi.all(released.slice(1).map((c) => c.stdout)).apply((outs) => {
        const functions: Record<string, string> = {};
        for (const [key, value] of outs.flatMap((out) => [...recordsOf(out)])) {
          const digest = value.split(" ")[0];
          if (key.startsWith("function ") && /^[0-9a-f]{16}$/.test(digest)) functions[key.slice("function ".length)] = digest;
        }
        return functions;
      }),
    );

    if (args.mode.kind === "test") {
      if (!s.integrationTestCommand) throw new Error("integrationTestCommand was not set: config validation should have required it on a test tier");
      const tests = step(
        "integration-tests",
        integrationTestScript(s.integrationTestCommand),
        { ...args.testEnvironment, ...database, SUPABASE_URL: s.url, ...evidence, RELEASE_COMMIT: args.commit ?? "", RELEASE_TREE: args.tree ?? "" },
        steps,
      );
      this.passedReleaseId = pulumi.unsecret(tests.stdout.apply((out) => recordedRelease(out, "passed") ?? "nothing"));
      const recorded = (kind: "commit" | "tree") =>
        pulumi.unsecret(
          tests.stdout.apply((out) => {
            const id = recordsOf(out).get(kind);
            return recordedRelease(out, "passed") && id && commitPattern.test(id) ? id : "";
          }),
        );
      this.passedCommit = recorded("commit");
      this.passedTree = recorded("tree");
    } else {
      const record = step("release-record", releaseRecordScript(), evidence, steps);
      this.releasedId = pulumi.unsecret(record.stdout.apply((out) => recordedRelease(out, "released") ?? args.previous.releasedId ?? "nothing"));
      this.releaseRecord = record;
    }
    this.registerOutputs({
      passedReleaseId: this.passedReleaseId,
      passedCommit: this.passedCommit,
      passedTree: this.passedTree,
      releasedId: this.releasedId,
      migrationLedger: this.migrationLedger,
      releasedFunctions: this.releasedFunctions,
    });
  }
}

function requireToken(token: pulumi.Output<string> | undefined): pulumi.Output<string> {
  if (!token) throw new Error("supabaseAccessToken was not loaded: config validation should have required it");
  return token;
}
