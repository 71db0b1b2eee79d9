import { commitPattern, releaseTagPattern } from "../contracts/promotion";

/**
 * Which commit a run releases, and from which tag. The checkout is what the program and Vercel's build of that commit
 * both see, so git's HEAD wins; GITHUB_SHA (the commit a workflow run was started for) is the fallback for a run
 * without a git work tree. A tag release checks the tag out (release.yml), so HEAD is the tag's commit there.
 *
 * The tree (git's id of the commit's content) is what "the same code" means across branches: seed 001 tests the
 * `staging` branch and releases `main` after a pull request from staging, whose merge is another commit with the
 * same tree.
 */
export interface ReleaseSource {
  /** The commit, when it is known: 40 lowercase hex digits. */
  commit?: string;
  /** Where `commit` came from, for messages. */
  from: "git" | "GITHUB_SHA" | "nothing";
  /** The commit's tree, when git can tell. */
  tree?: string;
  /** RELEASE_TAG of the run, as given (checked by tagProblem). */
  tag?: string;
  /** The commit RELEASE_TAG names in the checkout, when git can tell. */
  tagCommit?: string;
}

/** Plain data in, plain data out: what a run releases, from what git said and the run's environment. */
export function chooseSource(git: { head?: string; tree?: string; tagCommit?: string }, env: { GITHUB_SHA?: string; RELEASE_TAG?: string }): ReleaseSource {
  const tag = env.RELEASE_TAG?.trim() || undefined;
  const head = git.head?.trim().toLowerCase();
  const tree = git.tree?.trim().toLowerCase();
  const sha = env.GITHUB_SHA?.trim().toLowerCase();
  const source: ReleaseSource =
    head && commitPattern.test(head)
      ? { commit: head, from: "git", ...(tree && commitPattern.test(tree) ? { tree } : {}) }
      : sha && commitPattern.test(sha)
        ? { commit: sha, from: "GITHUB_SHA" }
        : { from: "nothing" };
  return { ...source, tag, tagCommit: git.tagCommit?.trim().toLowerCase() || undefined };
}

/** Why RELEASE_TAG cannot be released as given, or undefined when it can. */
export function tagProblem(source: ReleaseSource): string | undefined {
  if (!source.tag) return undefined;
  if (!releaseTagPattern.test(source.tag)) return `RELEASE_TAG is "${source.tag.slice(0, 40)}", which is not a version tag vX.Y.Z`;
  if (source.from === "git" && source.tagCommit === undefined)
    return `the tag ${source.tag} does not exist in this checkout (fetch it, or check it out: actions/checkout with ref: refs/tags/${source.tag})`;
  if (source.tagCommit !== undefined && source.commit !== undefined && source.tagCommit !== source.commit) {
    return `the tag ${source.tag} names commit ${source.tagCommit}, but the checkout is ${source.commit}; check the tag out (actions/checkout with ref: refs/tags/${source.tag})`;
  }
  return undefined;
}
