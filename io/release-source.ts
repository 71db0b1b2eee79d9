import { spawnSync } from "child_process";
import { releaseTagPattern } from "../contracts/promotion";
import { ReleaseSource, chooseSource } from "../lib/release-commit";

function git(projectDir: string, args: string[]): string | undefined {
  const run = spawnSync("git", ["-C", projectDir, ...args], { encoding: "utf8", timeout: 10_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** The release source of the checkout at projectDir and of this process's environment. */
export function releaseSourceOf(projectDir: string, env: NodeJS.ProcessEnv = process.env): ReleaseSource {
  const inWorkTree = git(projectDir, ["rev-parse", "--is-inside-work-tree"]) === "true";
  const head = inWorkTree ? git(projectDir, ["rev-parse", "HEAD"]) : undefined;
  const tree = inWorkTree ? git(projectDir, ["rev-parse", "HEAD^{tree}"]) : undefined;
  const tag = env.RELEASE_TAG?.trim();
  const tagCommit =
    inWorkTree && tag && releaseTagPattern.test(tag) ? git(projectDir, ["rev-parse", "--verify", "--quiet", `refs/tags/${tag}^{commit}`]) : undefined;
  return chooseSource({ head, tree, tagCommit }, { GITHUB_SHA: env.GITHUB_SHA, RELEASE_TAG: env.RELEASE_TAG });
}
