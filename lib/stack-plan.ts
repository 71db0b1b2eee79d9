import type { GithubSettings } from "../config/github";
import type { Settings, SupabaseSettings } from "../config/parse";
import type { NamedSource, Tier, VercelProjectConfig } from "../config/schema";
import type { SourceFields } from "../config/sources";
import { EnvironmentPlan, environmentPlan } from "./github-plan";
import { PreparedPromotion } from "./promotion-plan";
import { PromotedState } from "./promotion-records";
import { nothingTested } from "./release-gate";
import { ReleaseContents, ReleaseParts } from "./release-identity";
import { PreparedRelease, ReleaseMode, isPassedRelease } from "./release-plan";

/**
 * Everything index.ts builds for one stack, as plain data: which components, with which arguments, and which outputs
 * the stack exports. Secrets and the outputs of other resources are not in it: the program resolves the value
 * sources named here (lib/resolve.ts) and hands one component's outputs to the next.
 */
export interface StackPlan {
  generatedSecrets: { secrets: Settings["generatedSecrets"]; stack: string };
  /** The project as the `supabase` value sources see it. */
  supabaseValues: { url: string; anonKey?: string; projectRef?: string };
  /** The Supabase release (components/supabaseRelease.ts); absent with enableSupabaseRelease false. */
  release?: SupabaseReleasePlan;
  breakGlass?: { reason: string };
  rollback?: { kind: "rollback"; commit: string; reason: string };
  /** Absent without Vercel projects. */
  vercel?: VercelPlan;
  github?: GithubPlan;
  outputs: OutputsPlan;
}

export interface SupabaseReleasePlan {
  tier: Tier;
  projectRef: string;
  supabase: SupabaseSettings;
  contents: ReleaseContents;
  mode: ReleaseMode;
  previous: PreparedRelease["previous"];
  functionSecrets: NamedSource[];
  /** The integration tests' own environment: variable name to the value source that fills it. */
  testEnvironment: Record<string, SourceFields>;
  commit?: string;
  tree?: string;
}

export interface VercelPlan {
  projects: VercelProjectConfig[];
  teamId?: string;
  /**
   * Where the projects' ids come from: prod owns the projects (components/vercelProjectShell.ts); every other tier
   * writes its variables into the projects prod owns, by the ids in its config.
   */
  projectIds:
    | { kind: "shell"; shell: { gitRepository?: string; productionBranch: string; promotedByRelease: boolean } }
    | { kind: "referenced"; ids: Record<string, string> };
  /** Prod: the step that makes a commit live (components/vercelPromotion.ts); absent when nothing goes live. */
  promotion?: PromotionStepPlan;
  variables: { tier: Tier; rules: { sensitivePolicy: boolean } };
}

export interface PromotionStepPlan {
  /** `promote` waits for the release record step of the release (the program hands it over). */
  mode: { kind: "promote"; commit: string; tree: string; testedCommit: string; testedTree: string; releaseId: string } | { kind: "rollback"; commit: string };
  projects: string[];
  teamId?: string;
  apiUrl: string;
  waitSeconds: number;
  previous: PromotedState;
}

export interface GithubPlan {
  github: GithubSettings;
  tier: Tier;
  /** Prod with githubVerifyRepository: ask GitHub for the repository's visibility before anything is registered. */
  checkVisibility: boolean;
  /** With adoptGithub: the environments to look up on GitHub, the existing ones adopted (io/github-verify.ts). */
  adopt?: EnvironmentPlan[];
  environmentSecrets: NamedSource[];
}

/** What a test tier's passedRelease output can name besides a bare id: this release's parts, or the one recorded last. */
export interface KnownPassedReleases {
  current?: { id: string; parts: ReleaseParts };
  previous?: unknown;
}

interface CommonOutputs {
  tier: Tier;
  releaseId?: string;
}

export type OutputsPlan =
  | (CommonOutputs & { kind: "prod"; testedReleaseId: string; releaseMode: string; breakGlass?: string; production: boolean })
  | (CommonOutputs & { kind: "non-prod"; known: KnownPassedReleases });

/** Decides the stack from plain data: parsed settings and what io/prepare-release.ts and io/prepare-promotion.ts read and decided. */
export function planStack(settings: Settings, release: PreparedRelease | undefined, promotion: PreparedPromotion): StackPlan {
  return {
    generatedSecrets: { secrets: settings.generatedSecrets, stack: settings.stack },
    supabaseValues: { ...settings.supabaseProject, projectRef: settings.projectRef },
    release: settings.supabase && release ? releasePlan(settings, settings.supabase, release, promotion) : undefined,
    breakGlass: settings.breakGlass ? { reason: settings.breakGlass } : undefined,
    rollback: promotion.plan.kind === "rollback" ? promotion.plan : undefined,
    vercel: vercelPlan(settings, release, promotion),
    github: settings.github ? githubPlan(settings.github, settings) : undefined,
    outputs: outputsPlan(settings, release, promotion),
  };
}

function releasePlan(settings: Settings, supabase: SupabaseSettings, release: PreparedRelease, promotion: PreparedPromotion): SupabaseReleasePlan {
  return {
    tier: settings.tier,
    projectRef: settings.projectRef ?? "",
    supabase,
    contents: release.contents,
    mode: release.mode,
    previous: release.previous,
    functionSecrets: supabase.functionSecrets,
    testEnvironment: testEnvironmentOf(settings),
    commit: promotion.source.commit,
    tree: promotion.source.tree,
  };
}

/** The integration tests get the project's anon key and, when the stack holds one, its service role key. */
function testEnvironmentOf(settings: Settings): Record<string, SourceFields> {
  const environment: Record<string, SourceFields> = {};
  if (settings.supabaseProject.anonKey) environment.SUPABASE_ANON_KEY = { supabase: "anonKey" };
  if (settings.secretKeys.includes("supabaseServiceRoleKey")) environment.SUPABASE_SERVICE_ROLE_KEY = { secret: "supabaseServiceRoleKey" };
  return environment;
}

function vercelPlan(settings: Settings, release: PreparedRelease | undefined, promotion: PreparedPromotion): VercelPlan | undefined {
  const vercel = settings.vercel;
  if (!vercel || vercel.projects.length === 0) return undefined;
  const projects = vercel.projects;
  const variables = { tier: settings.tier, rules: { sensitivePolicy: vercel.sensitivePolicy } };
  if (!settings.isProd) {
    return {
      projects,
      teamId: vercel.teamId,
      projectIds: { kind: "referenced", ids: Object.fromEntries(projects.map((p) => [p.name, p.projectId ?? ""])) },
      variables,
    };
  }
  const github = settings.github;
  return {
    projects,
    teamId: vercel.teamId,
    projectIds: {
      kind: "shell",
      shell: {
        gitRepository: github ? `${github.owner}/${github.repository}` : undefined,
        productionBranch: github?.productionBranch ?? "main",
        promotedByRelease: promotion.projects.length > 0,
      },
    },
    promotion: promotionStepPlan(settings, vercel.teamId, release, promotion),
    variables,
  };
}

function promotionStepPlan(
  settings: Settings,
  teamId: string | undefined,
  release: PreparedRelease | undefined,
  promotion: PreparedPromotion,
): PromotionStepPlan | undefined {
  const plan = promotion.plan;
  if (plan.kind !== "promote" && plan.kind !== "rollback") return undefined;
  const tested = release?.tested;
  return {
    mode:
      plan.kind === "promote"
        ? {
            kind: "promote",
            commit: plan.commit,
            tree: plan.tree ?? "",
            testedCommit: String(tested?.passedCommit),
            testedTree: typeof tested?.passedTree === "string" ? tested.passedTree : "",
            releaseId: release?.contents.releaseId ?? "",
          }
        : { kind: "rollback", commit: plan.commit },
    projects: promotion.projects,
    teamId,
    apiUrl: promotion.apiUrl,
    waitSeconds: settings.promotion.waitSeconds,
    previous: promotion.production,
  };
}

function githubPlan(github: GithubSettings, settings: Settings): GithubPlan {
  return {
    github,
    tier: settings.tier,
    checkVisibility: settings.isProd && github.verifyRepository,
    adopt: github.adopt ? environmentPlan(github, settings.tier) : undefined,
    environmentSecrets: github.environmentSecrets,
  };
}

function outputsPlan(settings: Settings, release: PreparedRelease | undefined, promotion: PreparedPromotion): OutputsPlan {
  const common = { tier: settings.tier, releaseId: release?.contents.releaseId };
  if (settings.isProd) {
    return {
      ...common,
      kind: "prod",
      testedReleaseId: release?.testedReleaseId ?? nothingTested,
      releaseMode: release?.decision?.kind ?? "nothing",
      breakGlass: settings.breakGlass,
      production: promotion.projects.length > 0,
    };
  }
  return {
    ...common,
    kind: "non-prod",
    known: release ? { current: { id: release.contents.releaseId, parts: release.contents.parts }, previous: release.previous.passedRelease } : {},
  };
}

/** The test stack's record of what passed, with the parts prod compares when its release differs. */
export function passedReleaseOf(id: string, known: KnownPassedReleases): unknown {
  if (known.current && id === known.current.id) return known.current;
  const previous = known.previous;
  return isPassedRelease(previous) && previous.id === id ? previous : { id };
}

/** What production serves, as the productionCommit output shows it. */
export const liveCommitOf = (state: PromotedState): string => state.commit || "nothing";

/** The values the components produced that the outputs publish; `O` is whatever carries them (an Output, or plain data in tests). */
export interface BuiltOutputs<O> {
  vercelProjectIds: Record<string, O | string>;
  release?: { migrationLedger: O; releasedFunctions: O; releasedId?: O; passedReleaseId?: O; passedCommit?: O; passedTree?: O; passedRelease?: O };
  production?: { commit: O; deployments: O; history: O };
}

/** The stack's outputs (docs/architecture.md "Stack outputs"): the keys each tier exports, from the plan and what was built. */
export function stackOutputs<O>(plan: OutputsPlan, built: BuiltOutputs<O>): Record<string, unknown> {
  const release = built.release;
  const common = {
    tier: plan.tier,
    releaseId: plan.releaseId,
    vercelProjectIds: built.vercelProjectIds,
    ...(release ? { migrationLedger: release.migrationLedger, releasedFunctions: release.releasedFunctions } : {}),
  };
  if (plan.kind === "prod") {
    return {
      ...common,
      testedReleaseId: plan.testedReleaseId,
      releasedId: release?.releasedId ?? nothingTested,
      releaseMode: plan.releaseMode,
      ...(plan.breakGlass ? { breakGlass: plan.breakGlass } : {}),
      ...(plan.production && built.production
        ? { productionCommit: built.production.commit, productionDeployments: built.production.deployments, promotedCommits: built.production.history }
        : {}),
    };
  }
  return {
    ...common,
    passedReleaseId: release?.passedReleaseId,
    passedCommit: release?.passedCommit,
    passedTree: release?.passedTree,
    passedRelease: release?.passedRelease,
  };
}
