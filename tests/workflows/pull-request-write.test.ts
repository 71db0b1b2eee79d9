/**
 * Rule pull-request-write-only-for-comment: `pull-requests: write` only for the preview comment, and nothing in the
 * pipelines approves or merges a pull request. (That the job token cannot approve at all is the repository setting
 * canApprovePullRequestReviews: false; see docs/pipelines.md, "The pull-request comment token".)
 */
import * as assert from "assert";
import { Workflow, pullRequestWriteViolations } from "../../workflow-rules";
import { BadCase, expectCaught, fixture, pulumiStepOf, withOf } from "./fixtures";

const preview = () => fixture("preview.yml");
const add = (w: Workflow, step: object) => {
  w.jobs.preview.steps?.push(step);
  return w;
};

const bad: BadCase[] = [
  {
    name: "an approving `gh pr review` with the job token",
    build: () => add(preview(), { run: 'gh pr review "$PR" --approve', env: { GH_TOKEN: "${{ github.token }}" } }),
    expect: /jobs\.preview\.steps\[5\] approves or merges a pull request/,
  },
  {
    name: "a review through the REST API",
    build: () => add(preview(), { run: 'curl -X POST "$API/repos/o/r/pulls/1/reviews" -d \'{"event":"APPROVE"}\'' }),
    expect: /approves or merges a pull request/,
  },
  {
    name: "an auto-merge through GraphQL",
    build: () => add(preview(), { run: "gh api graphql -f query='mutation { enablePullRequestAutoMerge(input: {}) { clientMutationId } }'" }),
    expect: /approves or merges a pull request/,
  },
  {
    name: "an auto-approve action",
    build: () => add(preview(), { uses: "hmarr/auto-approve-action@f0939ea97e9205ef24d872e76833fa908a770363" }),
    expect: /approves or merges a pull request/,
  },
  {
    name: "another step using the write token",
    build: () => add(preview(), { run: "./scripts/label.sh", env: { GITHUB_TOKEN: "${{ github.token }}" } }),
    expect: /jobs\.preview\.steps\[5\] can use the job token, which has `pull-requests: write` here/,
  },
  {
    name: "actions/github-script next to the write token",
    build: () => add(preview(), { uses: "actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea", with: { script: "1" } }),
    expect: /can use the job token/,
  },
  { name: "a gh command next to the write token", build: () => add(preview(), { run: "gh pr edit 1 --add-label ok" }), expect: /can use the job token/ },
  {
    name: "pull-requests: write without the comment",
    build: () => {
      const w = preview();
      delete withOf(pulumiStepOf(w.jobs.preview))["comment-on-pr"];
      return w;
    },
    expect: /grants `pull-requests: write` but has no pulumi\/actions step with `comment-on-pr: true`/,
  },
  {
    name: "pull-requests: write in a workflow that also runs on push",
    build: () => {
      const w = preview();
      w.on = { pull_request: {}, push: { branches: ["main"] } };
      return w;
    },
    expect: /also runs on push/,
  },
  {
    name: "the comment made with another token",
    build: () => {
      const w = preview();
      withOf(pulumiStepOf(w.jobs.preview))["github-token"] = "${{ secrets.BOT_PAT }}";
      return w;
    },
    expect: /comments with secrets\.BOT_PAT/,
  },
  {
    name: "a merge in a release job",
    build: () => ({ jobs: { release: { permissions: { contents: "read" }, steps: [{ run: 'gh pr merge "$PR" --squash' }] } } }),
    expect: /jobs\.release\.steps\[0\] approves or merges/,
  },
];

describe("rule pull-request-write-only-for-comment", () => {
  it("accepts the fixture's preview (the write token reaches only pulumi/actions, which comments)", () => {
    assert.deepStrictEqual(pullRequestWriteViolations(preview()), []);
    assert.deepStrictEqual(pullRequestWriteViolations(fixture("release.yml")), []);
  });

  for (const c of bad) {
    it(`catches ${c.name}`, () => expectCaught(pullRequestWriteViolations(c.build()), c.expect));
  }
});
