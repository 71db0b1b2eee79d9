import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export type Located = { path: string; from: "ACTIONLINT" | "toolchain" | "PATH" } | { error: string };

export interface LocateInput {
  env: Record<string, string | undefined>;
  homedir: string;
  isExecutable: (file: string) => boolean;
}

/** Where `npm run toolchain` (scripts/toolchain.sh) puts actionlint. */
export function toolchainActionlint(env: Record<string, string | undefined>, homedir: string): string {
  const cache = env.DEPLOY_GUARDRAILS_CACHE || path.join(homedir, ".cache", "deploy-guardrails");
  return path.join(cache, "toolchain", "current", "bin", "actionlint");
}

/** `ACTIONLINT` if set, else the toolchain's build, else the first `actionlint` on PATH. */
export function locateActionlint({ env, homedir, isExecutable }: LocateInput): Located {
  if (env.ACTIONLINT) {
    return isExecutable(env.ACTIONLINT)
      ? { path: env.ACTIONLINT, from: "ACTIONLINT" }
      : { error: `ACTIONLINT=${env.ACTIONLINT} is not an executable file. Unset it and run \`npm run toolchain\`, or point it at an actionlint binary.` };
  }
  const built = toolchainActionlint(env, homedir);
  if (isExecutable(built)) return { path: built, from: "toolchain" };
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter((d) => d.length > 0)) {
    const candidate = path.join(dir, "actionlint");
    if (isExecutable(candidate)) return { path: candidate, from: "PATH" };
  }
  return {
    error: `actionlint not found (looked at ${built} and on PATH). Run \`npm run toolchain\` to build it, ` + "or set ACTIONLINT=/path/to/actionlint.",
  };
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function locateHere(): Located {
  return locateActionlint({ env: process.env, homedir: os.homedir(), isExecutable });
}
