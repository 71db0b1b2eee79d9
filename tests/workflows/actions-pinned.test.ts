/** Rule actions-pinned: every action by full commit SHA, with the release tag it is as a comment. */
import * as assert from "assert";
import { parseWorkflow, pinningViolations, usesComments } from "../../workflow-rules";
import { expectCaught } from "./fixtures";

const sha = "11d5960a326750d5838078e36cf38b85af677262";
const workflow = (...uses: string[]) =>
  parseWorkflow(
    ["on: push", "permissions: {}", "jobs:", "  a:", "    runs-on: ubuntu-latest", "    steps:", ...uses.map((u) => `      - uses: ${u}`), ""].join("\n"),
  );

const bad: [string, string, RegExp][] = [
  [
    "a major tag (today's workflows)",
    "actions/checkout@v4",
    /uses actions\/checkout@v4: pin the full 40-character commit SHA of a release, with the tag as a comment \(uses: actions\/checkout@<sha> # v4\)/,
  ],
  ["a full tag", "actions/checkout@v4.4.0", /pin the full 40-character commit SHA/],
  ["a branch", "pulumi/actions@main", /a tag or branch can be moved by whoever controls pulumi\/actions/],
  ["no version", "actions/checkout", /without a version/],
  ["a short SHA", "actions/checkout@11d5960", /pin the full 40-character commit SHA/],
  ["a SHA without a tag comment", `actions/checkout@${sha}`, /without the release tag as a comment on that line/],
  ["a SHA with a comment that is not a tag", `actions/checkout@${sha} # latest`, /without the release tag as a comment/],
  ["a docker action by tag", "docker://alpine:3.20", /pin the image by digest/],
  ["a reusable workflow by branch", "acme/workflows/.github/workflows/x.yml@main", /pin the full 40-character commit SHA/],
];

describe("rule actions-pinned", () => {
  it("accepts a SHA with its tag as a comment, a local action and a docker digest", () => {
    assert.deepStrictEqual(
      pinningViolations(
        workflow(
          `actions/checkout@${sha} # v4.4.0`,
          `"actions/checkout@${sha}"  # v4.4.0`,
          "./.github/actions/local",
          `docker://alpine@sha256:${"a".repeat(64)}`,
        ),
      ),
      [],
    );
  });

  for (const [name, uses, expect] of bad) {
    it(`catches ${name}`, () => expectCaught(pinningViolations(workflow(uses)), expect));
  }

  it("refuses to vouch for a SHA in a workflow built in code (its comments are unknown)", () => {
    expectCaught(pinningViolations({ jobs: { a: { steps: [{ uses: `actions/checkout@${sha}` }] } } }), /was not parsed from its file/);
  });

  it("reads every uses: line's comment, quoted or not", () => {
    const comments = usesComments(`      - uses: a/b@${sha} # v1.2.3\n      - uses: 'c/d@${sha}'   #v2\n        uses: e/f@${sha}\n`);
    assert.deepStrictEqual(
      [...comments.entries()],
      [
        [`a/b@${sha}`, ["v1.2.3"]],
        [`c/d@${sha}`, ["v2"]],
        [`e/f@${sha}`, [""]],
      ],
    );
  });
});
