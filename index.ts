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
import { NamedSource } from "./config/schema";
import { assertCodeowners } from "./io/github-tree";
import { adoptableEnvironments, assertRepositoryVisibility } from "./io/github-verify";
import { prepareRelease } from "./io/prepare-release";
import { preparePromotion } from "./io/prepare-promotion";
import { previewDatabaseNotice } from "./lib/preview-notice";
import { PromotedState } from "./lib/promotion-records";
import { ValueContext, resolveSource } from "./lib/resolve";
import { liveCommitOf, passedReleaseOf, planStack, stackOutputs } from "./lib/stack-plan";

export = async () => {
  const { settings, secrets } = await loadConfig();
  // The prod stack's GitHub checks of the working tree run before anything is registered, like the config's.
  if (settings.github && settings.isProd) assertCodeowners(settings.github, settings.supabase?.supabaseDir ?? "supabase", __dirname);
  // Decided before any resource is registered: a refused release or an unreleasable file leaves nothing half-planned.
  const release = await prepareRelease(settings, __dirname);
  const promotion = preparePromotion(settings, release, __dirname);
  if (release && pulumi.runtime.isDryRun()) for (const line of previewDatabaseNotice(release.summary, settings.tier)) void pulumi.log.warn(line);
  const plan = planStack(settings, release, promotion);

  const generated = new GeneratedSecrets("secret", { ...plan.generatedSecrets, seed: secrets.generatedSecretsSeed });
  const values: ValueContext = { secrets, generated: generated.values, supabase: plan.supabaseValues };
  const resolved = (sources: NamedSource[]) => sources.map((s) => ({ name: s.name, value: resolveSource(s, values) }));

  const supabaseRelease = plan.release
    ? new SupabaseRelease("supabase", {
        ...plan.release,
        dbPassword: secrets.supabaseDbPassword,
        accessToken: secrets.supabaseAccessToken,
        functionSecrets: resolved(plan.release.functionSecrets),
        testEnvironment: Object.fromEntries(Object.entries(plan.release.testEnvironment).map(([name, source]) => [name, resolveSource(source, values)])),
      })
    : undefined;
  if (plan.breakGlass) new BreakGlass("release-break-glass", plan.breakGlass);
  if (plan.rollback) new VercelRollback("vercel-rollback", plan.rollback);
  // What carries this database's values waits for its marker check: a refused database changes nothing else.
  const afterMarker = supabaseRelease ? [supabaseRelease.markerCheck] : [];
  let vercelProjectIds: Record<string, pulumi.Input<string>> = {};
  let production: pulumi.Input<PromotedState> = promotion.production;
  if (plan.vercel) {
    const provider = new vercel.Provider("vercel", { apiToken: secrets.vercelApiToken });
    const { projects, teamId, projectIds, promotion: promote } = plan.vercel;
    if (projectIds.kind === "shell") {
      const shell = new VercelProjectShell("vercel", { projects, teamId, ...projectIds.shell, provider });
      vercelProjectIds = shell.projectIds;
      if (promote) {
        const record = supabaseRelease?.releaseRecord;
        if (promote.mode.kind === "promote" && !record)
          throw new Error("a promotion needs the release record step: prepareRelease decided to release, so SupabaseRelease must have registered it");
        production = new VercelPromotion("vercel", {
          ...promote,
          mode: promote.mode.kind === "promote" && record ? { ...promote.mode, releaseRecord: record } : { kind: "rollback", commit: promote.mode.commit },
          projects: promote.projects.map((name) => ({ name, id: shell.projectIds[name] })),
          apiToken: secrets.vercelApiToken,
        }).state;
      }
    } else {
      vercelProjectIds = projectIds.ids;
    }
    new VercelVariables("vercel", {
      ...plan.vercel.variables,
      projects: projects.map((config) => ({ config, projectId: vercelProjectIds[config.name] })),
      teamId,
      values,
      provider,
      waitFor: afterMarker,
    });
  }

  if (plan.github) {
    const { github: settingsOfGithub, tier, checkVisibility, adopt } = plan.github;
    // No token argument: the provider reads the run's GITHUB_TOKEN; no stack holds a GitHub token (config/secret-keys.ts).
    const provider = new github.Provider("github", { owner: settingsOfGithub.owner });
    if (checkVisibility) await assertRepositoryVisibility(settingsOfGithub, provider);
    const adoptable = adopt ? await adoptableEnvironments(settingsOfGithub, adopt, provider) : undefined;
    const environmentSecrets = resolved(plan.github.environmentSecrets);
    new GithubGuardrails("github", { github: settingsOfGithub, tier, environmentSecrets, provider, waitFor: afterMarker, adoptable });
  }

  const outputs = plan.outputs;
  const passedReleaseId = supabaseRelease?.passedReleaseId;
  const live = outputs.kind === "prod" && outputs.production ? pulumi.output(production) : undefined;
  return stackOutputs<unknown>(outputs, {
    vercelProjectIds,
    release: supabaseRelease && {
      migrationLedger: supabaseRelease.migrationLedger,
      releasedFunctions: supabaseRelease.releasedFunctions,
      releasedId: supabaseRelease.releasedId,
      passedReleaseId,
      passedCommit: supabaseRelease.passedCommit,
      passedTree: supabaseRelease.passedTree,
      passedRelease: outputs.kind === "non-prod" ? passedReleaseId?.apply((id) => passedReleaseOf(id, outputs.known)) : undefined,
    },
    production: live && { commit: live.apply(liveCommitOf), deployments: live.apply((p) => p.deployments), history: live.apply((p) => p.history) },
  });
};
