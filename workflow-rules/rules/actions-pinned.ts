import { WorkflowRule } from "../rule";
import { Workflow, sourceOf, usesOf } from "../workflow";

/** A release tag as a comment: `v4`, `v4.4.0`, `v7.0.0-rc.1`. */
const tagComment = /^v\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$/;

/**
 * The tag comment of every `uses:` line in a workflow's text: `uses: owner/repo@<sha> # v4.4.0` → `{ "owner/repo@<sha>": ["v4.4.0"] }`.
 * Comments are not part of the parsed YAML, so this reads the text.
 */
export function usesComments(text: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const m of text.matchAll(/^[ \t-]*uses:[ \t]*(['"]?)([^'"\s#]+)\1[ \t]*(?:#[ \t]*(\S.*?))?[ \t]*$/gm)) {
    found.set(m[2], [...(found.get(m[2]) ?? []), m[3] ?? ""]);
  }
  return found;
}

/**
 * Every action is pinned to a full 40-hex commit SHA, with the release tag it is as a comment (a tag or branch can be
 * moved by whoever controls the action's repository); a Docker action to a sha256 digest. Local actions are part
 * of this repository.
 */
export function pinningViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  const text = sourceOf(workflow);
  const comments = text === undefined ? undefined : usesComments(text);
  for (const { uses, where } of usesOf(workflow)) {
    if (uses.startsWith("./")) continue;
    if (uses.startsWith("docker://")) {
      if (!/@sha256:[0-9a-f]{64}$/.test(uses)) out.push(`${where} uses ${uses}: pin the image by digest (docker://image@sha256:<64 hex>)`);
      continue;
    }
    const [name, ref] = uses.split("@");
    if (ref === undefined) {
      out.push(`${where} uses ${uses} without a version; pin a full commit SHA with its tag as a comment (uses: ${name}@<40-hex sha> # vX.Y.Z)`);
    } else if (!/^[0-9a-f]{40}$/.test(ref)) {
      out.push(
        `${where} uses ${uses}: pin the full 40-character commit SHA of a release, with the tag as a comment (uses: ${name}@<sha> # ${ref}); a tag or branch can be moved by whoever controls ${name}`,
      );
    } else if (comments === undefined) {
      out.push(`${where} uses ${uses}, but the workflow was not parsed from its file, so its tag comment cannot be checked; parse it with parseWorkflow`);
    } else {
      const tags = comments.get(uses) ?? [];
      if (tags.length === 0 || tags.some((t) => !tagComment.test(t))) {
        out.push(
          `${where} uses ${uses} without the release tag as a comment on that line (uses: ${uses} # vX.Y.Z), so no one can tell which release the SHA is`,
        );
      }
    }
  }
  return out;
}

export const actionsPinned: WorkflowRule = {
  name: "actions-pinned",
  description:
    "An action is used by tag or branch, which its owner can move to other code, or by SHA without saying which release " +
    "it is. Pin `owner/repo@<40-hex commit sha> # vX.Y.Z` (docker actions: `@sha256:<digest>`).",
  check: pinningViolations,
};
