import * as github from "@pulumi/github";
import type { GithubSettings } from "../config/github";
import { PlainRunError } from "../config/errors";
import { visibilityProblem } from "./github-gates";

/**
 * githubVerifyRepository: asks GitHub (the provider's getRepository invoke, at preview too) whether the repository's
 * visibility is the declared one, and stops the run before the GitHub resources are registered if it is not. Off by
 * default: the offline stand-in providers serve no invokes, and it needs a token that can read the repository.
 */
export async function assertRepositoryVisibility(settings: GithubSettings, provider: github.Provider): Promise<void> {
  const fullName = `${settings.owner}/${settings.repository}`;
  const repository = await github.getRepository({ fullName }, { provider });
  const problem = visibilityProblem(settings.repositoryVisibility, repository, fullName);
  if (problem) throw new PlainRunError(problem);
}
