import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Remote, seedDefaultWorld } from "../../scripts/engine/remote";
import { engineEnvironment, repoRoot, useEnginePath } from "../../scripts/engine/workspace";

/**
 * A small JavaScript program of our own (not deploy-guardrails'), run by the real engine against the emulators, so
 * a test shows what the emulated providers do with exactly the resources it registers. Plain JavaScript: no
 * ts-node, a run costs the engine and the plugins only.
 */
export interface Scratch {
  dir: string;
  remote: Remote;
  env: Record<string, string>;
  /** Writes the program (the body of `module.exports = async () => { ... }`, with vercel, github, command, random, pulumi in scope). */
  program(body: string): void;
  stack(name: string): Promise<Stack>;
}

const prelude = `const pulumi = require("@pulumi/pulumi");
const vercel = require("@pulumiverse/vercel");
const github = require("@pulumi/github");
const command = require("@pulumi/command");
const random = require("@pulumi/random");
const config = new pulumi.Config();
`;

export async function scratch(world: Record<string, Record<string, unknown>> = {}): Promise<Scratch> {
  const enginePath = useEnginePath();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-guardrails-scratch-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: scratch\nruntime: nodejs\nmain: index.js\n");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "scratch", main: "index.js" }));
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  const backend = path.join(dir, ".state");
  fs.mkdirSync(backend);
  const remote = new Remote(path.join(dir, ".remote"));
  seedDefaultWorld(remote, world);
  const env = await engineEnvironment(enginePath, backend, remote);
  return {
    dir,
    remote,
    env,
    program(body) {
      fs.writeFileSync(path.join(dir, "index.js"), `${prelude}module.exports = async () => {\n${body}\n};\n`);
    },
    async stack(name) {
      const stack = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: dir }, { envVars: env });
      await stack.setAllConfig({
        "vercel:apiToken": { value: "scratchtoken000000000000", secret: true },
        "github:owner": { value: "acme" },
        "github:token": { value: "ghp_scratchToken000000000000000000000000", secret: true },
      });
      return stack;
    },
  };
}

/** The default world of the committed config's shape: organization acme with public repository acme/app. */
export const acmeApp = {
  scratch: {
    "deploy-guardrails:githubOwner": "acme",
    "deploy-guardrails:githubRepository": "app",
    "deploy-guardrails:githubOwnerIsOrganization": true,
    "deploy-guardrails:releaseAuthority": [{ login: "alice", id: 101 }],
  },
};

export async function failure(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the run to fail");
}
