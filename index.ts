import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import * as path from "path";
import { GeneratedSecrets } from "./components/generatedSecrets";
import { GithubEnvironment } from "./components/githubEnvironment";
import { GithubGuardrails } from "./components/githubGuardrails";
import { SupabaseRelease } from "./components/supabaseRelease";
import { VercelProjectShell } from "./components/vercelProjectShell";
import { VercelVariables } from "./components/vercelVariables";
import { PlainRunError } from "./config/errors";
import { loadConfig } from "./config/load";
import { deploymentPolicyPlan, githubImportIds, unreviewedEnvironmentArgs, writingEnvironmentBranches } from "./lib/github-plan";
import { decideRelease, nothingTested } from "./lib/release-gate";
import { functionEntries, hashEntries, readTree, releaseIdOf } from "./lib/release-id";
import { ValueContext, resolveSource } from "./lib/resolve";
import { readTestedRelease } from "./lib/tested-release";

export = async () => {
  const { settings, secrets } = await loadConfig();
  const supabaseDir = settings.supabase?.supabaseDir ?? "supabase";
  const migrations = readTree(path.join(supabaseDir, "migrations"));
  const functions = readTree(path.join(supabaseDir, "functions"));
  const releaseId = releaseIdOf(migrations, functions);
  // Prod decides its release before registering anything: a refusal then leaves no resource half-planned.
  const prodRelease = settings.isProd && settings.supabase ? await prodReleaseGate(settings.releaseGateStack, releaseId) : undefined;

  const generated = new GeneratedSecrets("secret", { secrets: settings.generatedSecrets });
  const values: ValueContext = {
    secrets,
    generated: generated.values,
    supabase: { url: settings.supabase?.url ?? (settings.projectRef ? `https://${settings.projectRef}.supabase.co` : ""), anonKey: settings.supabase?.anonKey, projectRef: settings.projectRef },
  };

  let vercelProjectIds: Record<string, pulumi.Input<string>> = {};
  if (settings.vercel && settings.vercel.projects.length > 0) {
    const provider = new vercel.Provider("vercel", { apiToken: secrets.vercelApiToken });
    const projects = settings.vercel.projects;
    if (settings.isProd) {
      const shell = new VercelProjectShell("vercel", {
        projects,
        teamId: settings.vercel.teamId,
        gitRepository: settings.github ? `${settings.github.owner}/${settings.github.repository}` : undefined,
        productionBranch: settings.github?.productionBranch ?? "main",
        provider,
      });
      vercelProjectIds = shell.projectIds;
    } else {
      vercelProjectIds = Object.fromEntries(projects.map((p) => [p.name, p.projectId ?? ""]));
    }
    new VercelVariables("vercel", {
      tier: settings.tier,
      projects: projects.map((config) => ({ config, projectId: vercelProjectIds[config.name] })),
      teamId: settings.vercel.teamId,
      values,
      provider,
    });
  }

  if (settings.github) {
    // No token argument: the provider reads the run's GITHUB_TOKEN; no stack holds a GitHub token (config/secret-keys.ts).
    const provider = new github.Provider("github", { owner: settings.github.owner });
    const environmentSecrets = settings.github.environmentSecrets.map((s) => ({ name: s.name, value: resolveSource(s, values) }));
    if (settings.isProd) {
      new GithubGuardrails("github", { github: settings.github, productionSecrets: environmentSecrets, provider });
    } else {
      const github = settings.github;
      new GithubEnvironment(`github-${settings.tier}`, {
        environment: unreviewedEnvironmentArgs(github, settings.tier, true),
        deploymentPolicies: deploymentPolicyPlan(writingEnvironmentBranches(github), github.productionBranch),
        secrets: environmentSecrets,
        importId: github.adopt ? githubImportIds(github, settings.tier).environment : undefined,
        provider,
      });
      new GithubEnvironment(`github-${settings.tier}-readonly`, {
        environment: unreviewedEnvironmentArgs(github, `${settings.tier}-readonly`, false),
        secrets: [],
        importId: github.adopt ? githubImportIds(github, `${settings.tier}-readonly`).environment : undefined,
        provider,
      });
    }
  }

  let passedReleaseId: pulumi.Output<string> | undefined;
  let releasedId: string | undefined;
  if (settings.supabase) {
    const gate = prodRelease?.gate;
    if (!prodRelease || gate) {
      const supabaseRelease = new SupabaseRelease("supabase", {
        tier: settings.tier,
        projectRef: settings.projectRef ?? "",
        supabase: settings.supabase,
        releaseId,
        migrationsHash: hashEntries(migrations),
        functionHashes: Object.fromEntries(settings.supabase.functions.map((f) => [f.name, hashEntries(functionEntries(functions, f.name))])),
        dbPassword: secrets.supabaseDbPassword,
        accessToken: secrets.supabaseAccessToken,
        functionSecrets: settings.supabase.functionSecrets.map((s) => ({ name: s.name, value: resolveSource(s, values) })),
        testEnvironment: testEnvironmentOf(values),
        gate,
      });
      passedReleaseId = supabaseRelease.passedReleaseId;
      releasedId = settings.isProd ? releaseId : undefined;
    }
  }

  return {
    tier: settings.tier,
    releaseId,
    vercelProjectIds,
    ...(settings.isProd ? { testedReleaseId: prodRelease?.testedReleaseId ?? nothingTested, releasedId: releasedId ?? nothingTested } : { passedReleaseId }),
  };
};

/** Which release prod may run, from what passed on the gate stack; throws (before any resource) on a mismatch. */
async function prodReleaseGate(gateStack: string, releaseId: string) {
  const testedReleaseId = await readTestedRelease(gateStack);
  const decision = decideRelease({ releaseId, testedReleaseId, gateStack });
  if (decision.kind === "refuse") throw new PlainRunError(decision.message);
  if (decision.kind === "nothing") {
    pulumi.log.info(`Nothing to release to prod: ${decision.reason}. The prod shell is still managed.`);
    return { testedReleaseId, gate: undefined };
  }
  return { testedReleaseId, gate: { testedReleaseId: decision.releaseId, gateStack } };
}

function testEnvironmentOf(values: ValueContext): Record<string, pulumi.Input<string>> {
  const environment: Record<string, pulumi.Input<string>> = {};
  if (values.supabase.anonKey) environment.SUPABASE_ANON_KEY = values.supabase.anonKey;
  if (values.secrets.supabaseServiceRoleKey) environment.SUPABASE_SERVICE_ROLE_KEY = values.secrets.supabaseServiceRoleKey;
  return environment;
}
