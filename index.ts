import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { BreakGlass } from "./components/breakGlass";
import { GeneratedSecrets } from "./components/generatedSecrets";
import { GithubGuardrails } from "./components/githubGuardrails";
import { SupabaseRelease } from "./components/supabaseRelease";
import { VercelProjectShell } from "./components/vercelProjectShell";
import { VercelPromotion } from "./components/vercelPromotion";
import { VercelRollback } from "./components/vercelRollback";
import { VercelVariables } from "./components/vercelVariables";
import { loadConfig } from "./config/load";
import { assertCodeowners } from "./lib/github-tree";
import { environmentPlan } from "./lib/github-plan";
import { adoptableEnvironments, assertRepositoryVisibility } from "./lib/github-verify";
import { PreparedRelease, prepareRelease } from "./lib/prepare-release";
import { preparePromotion } from "./lib/prepare-promotion";
import { previewDatabaseNotice } from "./lib/preview-notice";
import { PromotedState } from "./lib/promotion-records";
import { nothingTested } from "./lib/release-gate";
import { isPassedRelease } from "./lib/release-plan";
import { ValueContext, resolveSource } from "./lib/resolve";

export = async () => {
  const { settings, secrets } = await loadConfig();
  // The prod stack's GitHub checks of the working tree run before anything is registered, like the config's.
  if (settings.github && settings.isProd) assertCodeowners(settings.github, settings.supabase?.supabaseDir ?? "supabase", __dirname);
  // Decided before any resource is registered: a refused release or an unreleasable file leaves nothing half-planned.
  const release = await prepareRelease(settings, __dirname);
  const promotion = preparePromotion(settings, release, __dirname);
  if (release && pulumi.runtime.isDryRun()) for (const line of previewDatabaseNotice(release.summary, settings.tier)) void pulumi.log.warn(line);

  const generated = new GeneratedSecrets("secret", { secrets: settings.generatedSecrets, seed: secrets.generatedSecretsSeed, stack: settings.stack });
  const values: ValueContext = {
    secrets,
    generated: generated.values,
    supabase: { ...settings.supabaseProject, projectRef: settings.projectRef },
  };

  let supabaseRelease: SupabaseRelease | undefined;
  if (settings.supabase && release) {
    supabaseRelease = new SupabaseRelease("supabase", {
      tier: settings.tier,
      projectRef: settings.projectRef ?? "",
      supabase: settings.supabase,
      contents: release.contents,
      mode: release.mode,
      previous: release.previous,
      dbPassword: secrets.supabaseDbPassword,
      accessToken: secrets.supabaseAccessToken,
      functionSecrets: settings.supabase.functionSecrets.map((s) => ({ name: s.name, value: resolveSource(s, values) })),
      testEnvironment: testEnvironmentOf(values),
      commit: promotion.source.commit,
      tree: promotion.source.tree,
    });
  }
  if (settings.breakGlass) new BreakGlass("release-break-glass", { reason: settings.breakGlass });
  if (promotion.plan.kind === "rollback") new VercelRollback("vercel-rollback", promotion.plan);
  // What carries this database's values waits for its marker check: a refused database changes nothing else.
  const afterMarker = supabaseRelease ? [supabaseRelease.markerCheck] : [];
  let vercelProjectIds: Record<string, pulumi.Input<string>> = {};
  let production: pulumi.Input<PromotedState> = promotion.production;
  if (settings.vercel && settings.vercel.projects.length > 0) {
    const provider = new vercel.Provider("vercel", { apiToken: secrets.vercelApiToken });
    const projects = settings.vercel.projects;
    if (settings.isProd) {
      const shell = new VercelProjectShell("vercel", {
        projects,
        teamId: settings.vercel.teamId,
        gitRepository: settings.github ? `${settings.github.owner}/${settings.github.repository}` : undefined,
        productionBranch: settings.github?.productionBranch ?? "main",
        promotedByRelease: promotion.projects.length > 0,
        provider,
      });
      vercelProjectIds = shell.projectIds;
      const plan = promotion.plan;
      if (plan.kind === "promote" || plan.kind === "rollback") {
        const record = supabaseRelease?.releaseRecord;
        if (plan.kind === "promote" && !record)
          throw new Error("a promotion needs the release record step: prepareRelease decided to release, so SupabaseRelease must have registered it");
        production = new VercelPromotion("vercel", {
          mode:
            plan.kind === "promote" && record
              ? {
                  kind: "promote",
                  commit: plan.commit,
                  tree: plan.tree ?? "",
                  testedCommit: String(release?.tested?.passedCommit),
                  testedTree: typeof release?.tested?.passedTree === "string" ? release.tested.passedTree : "",
                  releaseId: release?.contents.releaseId ?? "",
                  releaseRecord: record,
                }
              : { kind: "rollback", commit: plan.commit },
          projects: promotion.projects.map((name) => ({ name, id: shell.projectIds[name] })),
          teamId: settings.vercel.teamId,
          apiToken: secrets.vercelApiToken,
          apiUrl: promotion.apiUrl,
          waitSeconds: settings.promotion.waitSeconds,
          previous: promotion.production,
        }).state;
      }
    } else {
      vercelProjectIds = Object.fromEntries(projects.map((p) => [p.name, p.projectId ?? ""]));
    }
    new VercelVariables("vercel", {
      tier: settings.tier,
      projects: projects.map((config) => ({ config, projectId: vercelProjectIds[config.name] })),
      teamId: settings.vercel.teamId,
      rules: { sensitivePolicy: settings.vercel.sensitivePolicy },
      values,
      provider,
      waitFor: afterMarker,
    });
  }

  if (settings.github) {
    // No token argument: the provider reads the run's GITHUB_TOKEN; no stack holds a GitHub token (config/secret-keys.ts).
    const provider = new github.Provider("github", { owner: settings.github.owner });
    if (settings.isProd && settings.github.verifyRepository) await assertRepositoryVisibility(settings.github, provider);
    const adoptable = settings.github.adopt
      ? await adoptableEnvironments(settings.github, environmentPlan(settings.github, settings.tier), provider)
      : undefined;
    const environmentSecrets = settings.github.environmentSecrets.map((s) => ({ name: s.name, value: resolveSource(s, values) }));
    new GithubGuardrails("github", { github: settings.github, tier: settings.tier, environmentSecrets, provider, waitFor: afterMarker, adoptable });
  }

  return {
    tier: settings.tier,
    releaseId: release?.contents.releaseId,
    vercelProjectIds,
    ...(supabaseRelease ? { migrationLedger: supabaseRelease.migrationLedger, releasedFunctions: supabaseRelease.releasedFunctions } : {}),
    ...(settings.isProd
      ? {
          testedReleaseId: release?.testedReleaseId ?? nothingTested,
          releasedId: supabaseRelease?.releasedId ?? nothingTested,
          releaseMode: release?.decision?.kind ?? "nothing",
          ...(settings.breakGlass ? { breakGlass: settings.breakGlass } : {}),
          ...(promotion.projects.length > 0
            ? {
                productionCommit: pulumi.output(production).apply((p) => p.commit || "nothing"),
                productionDeployments: pulumi.output(production).apply((p) => p.deployments),
                promotedCommits: pulumi.output(production).apply((p) => p.history),
              }
            : {}),
        }
      : {
          passedReleaseId: supabaseRelease?.passedReleaseId,
          passedCommit: supabaseRelease?.passedCommit,
          passedTree: supabaseRelease?.passedTree,
          passedRelease: supabaseRelease?.passedReleaseId?.apply((id) => passedReleaseOf(id, release)),
        }),
  };
};

/** The test stack's record of what passed, with the parts prod compares when its release differs. */
function passedReleaseOf(id: string, release: PreparedRelease | undefined): unknown {
  if (release && id === release.contents.releaseId) return { id, parts: release.contents.parts };
  const previous = release?.previous.passedRelease;
  return isPassedRelease(previous) && previous.id === id ? previous : { id };
}

function testEnvironmentOf(values: ValueContext): Record<string, pulumi.Input<string>> {
  const environment: Record<string, pulumi.Input<string>> = {};
  if (values.supabase.anonKey) environment.SUPABASE_ANON_KEY = values.supabase.anonKey;
  if (values.secrets.supabaseServiceRoleKey) environment.SUPABASE_SERVICE_ROLE_KEY = values.secrets.supabaseServiceRoleKey;
  return environment;
}
