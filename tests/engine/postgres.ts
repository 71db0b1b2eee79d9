import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../scripts/engine/workspace";

/** A throwaway PostgreSQL cluster from Debian's packages, on a loopback port, owned by the test run. */
export interface Postgres {
  password: string;
  /** Connection URL without the password, as the program's databaseUrl holds it. */
  url(database: string): string;
  /** Creates a database carrying the environment marker (or none, when marker is undefined). */
  createDatabase(name: string, marker?: string): void;
  query(database: string, sql: string): string;
  stop(): void;
}

function postgresBin(): string {
  const find = () => {
    const root = "/usr/lib/postgresql";
    if (!fs.existsSync(root)) return undefined;
    const versions = fs
      .readdirSync(root)
      .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    return versions.length ? path.join(root, versions[0], "bin") : undefined;
  };
  const existing = find();
  if (existing) return existing;
  execFileSync("bash", [path.join(repoRoot, "scripts", "install-postgres.sh")], { stdio: "inherit" });
  const installed = find();
  if (!installed) throw new Error("PostgreSQL is not installed and scripts/install-postgres.sh did not install it");
  return installed;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-guardrails-pg-"));
  const password = `pw-${Math.random().toString(36).slice(2)}${Date.now()}`;
  const pwfile = path.join(dir, "pwfile");
  fs.writeFileSync(pwfile, password);
  // PostgreSQL refuses to run as root; as root, run it as the postgres user the package creates.
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const result = asRoot ? spawnSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8" }) : spawnSync(cmd, args, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  if (asRoot) {
    if (spawnSync("id", ["postgres"]).status !== 0) execFileSync("useradd", ["--system", "--no-create-home", "postgres"]);
    execFileSync("chown", ["-R", "postgres", dir]);
    fs.chmodSync(dir, 0o755);
  }
  const data = path.join(dir, "data");
  run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--no-sync"]);
  fs.rmSync(pwfile);
  const port = await freePort();
  run(path.join(bin, "pg_ctl"), [
    "-D",
    data,
    "-w",
    "-l",
    path.join(dir, "log"),
    "-o",
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`,
    "start",
  ]);
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const query = (database: string, sql: string) =>
    execFileSync("psql", [url(database), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql], {
      env: { ...process.env, PGPASSWORD: password },
      encoding: "utf8",
    }).trim();
  return {
    password,
    url,
    query,
    createDatabase(name, marker) {
      query("postgres", `create database ${name}`);
      if (marker !== undefined) {
        query(name, "create table public.deploy_env_marker (environment text primary key)");
        query(name, `insert into public.deploy_env_marker values ('${marker}')`);
      }
    },
    stop() {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
