import { ChildProcess, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * The emulated remote of one engine workspace: the folder the offline emulator providers keep Vercel's, GitHub's
 * and Supabase's objects in (one JSON file per service, scripts/toolchain/emulators/store.go). Tests read it to
 * assert what a real service would hold, and edit it to play a change made by hand in a dashboard.
 */
export const remoteStateEnv = "DEPLOY_GUARDRAILS_EMULATOR_STATE";

/** The offline emulator providers, under their own cache key (scripts/toolchain.sh). */
export function emulatorBin(): string {
  return path.join(process.env.DEPLOY_GUARDRAILS_CACHE ?? path.join(os.homedir(), ".cache", "deploy-guardrails"), "toolchain", "emulators-current", "bin");
}

export type Service = "vercel" | "github" | "supabase";
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type World = Record<string, any>;

/** The digest the emulators keep of a value they never give back (ids.go digestOf). */
export function remoteDigest(value: string): string {
  return `sha256:${createHash("sha256").update(`deploy-guardrails-emulator:${value}`).digest("hex")}`;
}

export class Remote {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** What the service holds now, read under the emulators' lock. */
  read(service: Service): World {
    return JSON.parse(this.state(["get", service]));
  }

  /**
   * A change made by hand: `change` edits the service's world, which is written back under the lock unless a
   * plugin wrote it in between (then this throws, and the test has a race to fix).
   */
  edit(service: Service, change: (world: World) => void): World {
    const world = this.read(service);
    const revision = Number(world.revision ?? 0);
    change(world);
    this.state(["put", service, String(revision)], JSON.stringify(world));
    return this.read(service);
  }

  private state(args: string[], input?: string): string {
    const run = spawnSync(path.join(emulatorBin(), "pulumi-resource-emulator"), ["state", ...args], {
      env: { ...process.env, [remoteStateEnv]: this.dir },
      input,
      encoding: "utf8",
    });
    if (run.error) throw new Error(`the emulator binary is missing (run \`npm run toolchain\`): ${run.error.message}`);
    if (run.status !== 0) throw new Error(run.stderr.trim());
    return run.stdout;
  }

  private api?: ChildProcess;

  /**
   * Starts (once) the fake of the Supabase Management API on a loopback port, state in this folder, and returns the
   * environment that points the real Supabase CLI at it (SUPABASE_PROFILE, a profile file; see supabase.go). Every
   * engine workspace starts one: the CLI reads the profile for every command, `db push` too.
   */
  async supabaseApi(): Promise<Record<string, string>> {
    const env = { SUPABASE_PROFILE: path.join(this.dir, "supabase-profile.yaml") };
    if (this.api) return env;
    const child = spawn(path.join(emulatorBin(), "pulumi-resource-emulator"), ["supabase-api"], {
      env: { ...process.env, [remoteStateEnv]: this.dir },
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.api = child;
    process.once("exit", () => child.kill());
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`the Supabase Management API fake exited (${code}) before it listened`)));
      child.stdout?.once("data", () => resolve());
    });
    // Listening: it must not keep this process alive on its own.
    child.removeAllListeners("exit");
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    return env;
  }

  private vercel?: ChildProcess;
  private vercelUrl?: string;

  /**
   * Starts (once) the fake of the Vercel REST endpoints the promotion step calls (vercel_deploy.go) on a loopback
   * port, state in this folder, and returns the environment that points a prod stack's promotion at it. Give it to
   * the prod stack only: on a test stack the same variable points the token-reach check (config/token-reach-http.ts)
   * at the fake, which, like Vercel, lets the test token read the shared project.
   */
  async vercelApi(): Promise<Record<string, string>> {
    if (!this.vercelUrl) {
      const child = spawn(path.join(emulatorBin(), "pulumi-resource-emulator"), ["vercel-api"], {
        env: { ...process.env, [remoteStateEnv]: this.dir },
        stdio: ["ignore", "pipe", "inherit"],
      });
      this.vercel = child;
      process.once("exit", () => child.kill());
      const port = await new Promise<string>((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", (code) => reject(new Error(`the Vercel API fake exited (${code}) before it listened`)));
        child.stdout?.once("data", (data: Buffer) => resolve(data.toString().trim()));
      });
      child.removeAllListeners("exit");
      child.unref();
      (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
      this.vercelUrl = `http://127.0.0.1:${port}`;
    }
    return { DEPLOY_GUARDRAILS_VERCEL_API_URL: this.vercelUrl };
  }

  /**
   * A git push as Vercel's git integration sees it: every project connected to the repository builds the commit, a
   * production deployment on its production branch (staged when it does not auto-assign its domains), a preview on
   * any other. Returns the new deployments' ids by project id.
   */
  push(repository: string, commit: string, options: { branch?: string; state?: "READY" | "BUILDING" | "ERROR" } = {}): Record<string, string> {
    const run = spawnSync(
      path.join(emulatorBin(), "pulumi-resource-emulator"),
      ["vercel", "push", repository, options.branch ?? "main", commit, options.state ?? "READY"],
      {
        env: { ...process.env, [remoteStateEnv]: this.dir },
        encoding: "utf8",
      },
    );
    if (run.status !== 0) throw new Error(run.stderr.trim() || String(run.error));
    const ids = (JSON.parse(run.stdout) as string[] | null) ?? [];
    const deployments = this.read("vercel").deployments as Record<string, { projectId: string }>;
    return Object.fromEntries(ids.map((id) => [deployments[id].projectId, id]));
  }

  /** The commit each Vercel project's production domains serve now (by project name; "" when none). */
  productionCommits(): Record<string, string> {
    const world = this.read("vercel");
    const deployments = (world.deployments ?? {}) as Record<string, { commitSha: string }>;
    return Object.fromEntries(
      Object.values(world.projects as Record<string, { name: string; production?: string }>).map((p) => [
        p.name,
        p.production ? deployments[p.production].commitSha : "",
      ]),
    );
  }

  /** Stops the Supabase and Vercel fakes, if they run. */
  close(): void {
    this.api?.kill();
    this.api = undefined;
    this.vercel?.kill();
    this.vercel = undefined;
    this.vercelUrl = undefined;
  }

  /** A Vercel project as prod's first `up` leaves it, for a test that starts later on day one (ids copied to test). */
  vercelProject(id: string, name: string, teamId = ""): void {
    this.edit("vercel", (w) => {
      w.projects[id] = { id, teamId, name, settings: {} };
    });
  }

  /** Writes a service's whole world before any plugin runs (no lock needed: nothing else has the folder yet). */
  seed(service: Service, world: World): void {
    fs.writeFileSync(path.join(this.dir, `${service}.json`), `${JSON.stringify({ revision: 0, ...world }, null, 2)}\n`, { mode: 0o600 });
  }
}

const ns = "deploy-guardrails";

/**
 * The accounts the committed (or overridden) stack files assume exist before day one: the GitHub owner and its
 * repository (public, so environments may have reviewers on any plan; a test that wants a private repository on
 * a plan sets it), the people and teams the config names, and Vercel's GitHub app installed on that repository.
 * No Vercel project: prod's first `up` creates it.
 */
export function seedDefaultWorld(remote: Remote, stacks: Record<string, Record<string, unknown>>): void {
  const accounts: World = {};
  const teams: World = {};
  const repositories: World = {};
  const gitRepositories = new Set<string>();
  const vercelTeams: World = {};
  const supabaseProjects: World = {};
  let nextId = 7000000;
  for (const config of Object.values(stacks)) {
    const get = <T>(key: string) => config[`${ns}:${key}`] as T | undefined;
    const owner = get<string>("githubOwner");
    const repo = get<string>("githubRepository");
    if (owner && repo) {
      const isOrg = get<boolean | string>("githubOwnerIsOrganization");
      const organization = isOrg === true || isOrg === "true" || accounts[owner]?.type === "Organization";
      accounts[owner] = { id: accounts[owner]?.id ?? nextId++, type: organization ? "Organization" : "User", plan: "team" };
      const key = `${owner}/${repo}`;
      const production = get<string>("productionBranch") ?? "main";
      const branches = new Set<string>([production, ...(repositories[key]?.branches ?? []), ...(get<string[]>("environmentDeploymentBranches") ?? [])]);
      const collaborators: Record<string, string> = { ...(repositories[key]?.collaborators ?? {}) };
      for (const person of get<{ login: string; id: number }[]>("releaseAuthority") ?? []) {
        accounts[person.login] = { id: person.id, type: "User", plan: "free" };
        collaborators[person.login] = "admin";
      }
      for (const agent of get<{ login: string; id: number }[]>("agentAccounts") ?? []) {
        accounts[agent.login] = { id: agent.id, type: "User", plan: "free" };
        collaborators[agent.login] = "write";
      }
      for (const team of get<{ slug: string; id: number }[]>("releaseAuthorityTeams") ?? []) {
        teams[`${owner}/${team.slug}`] = { id: team.id, slug: team.slug, org: owner };
      }
      const id = repositories[key]?.id ?? nextId++;
      repositories[key] = { id, nodeId: `R_kgDO${id}`, owner, name: repo, private: false, defaultBranch: production, branches: [...branches], collaborators };
      gitRepositories.add(key);
    }
    const ref = get<string>("supabaseProjectRef");
    if (ref) supabaseProjects[ref] = { name: ref, functions: {}, secrets: {} };
    const team = get<string>("vercelTeamId");
    if (team) vercelTeams[team] = { slug: team };
  }
  remote.seed("github", { accounts, teams, repositories, nextId: 8000000 });
  remote.seed("vercel", { teams: vercelTeams, gitRepositories: [...gitRepositories], projects: {}, env: {} });
  remote.seed("supabase", { projects: supabaseProjects });
}
