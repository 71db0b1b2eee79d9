/**
 * main's workflows at c3237f5 (fixtures/before/, copied unchanged) against the new rules: each rule refuses what
 * issue 12 found in them, by job. The rules must fail on the workflows they were written to change.
 */
import * as assert from "assert";
import { WorkflowRule, rules } from "../../workflow-rules";
import { fixture } from "./fixtures";

const rule = (name: string): WorkflowRule => {
  const found = rules.find((r) => r.name === name);
  assert.ok(found, `no rule ${name}`);
  return found;
};

/** [rule, file, what each violation of that rule in that file must include (one pattern per violation expected)]. */
const expected: [string, string, RegExp[]][] = [
  [
    "release-credentials-only-in-production",
    "before/release.yml",
    [
      /jobs\.up-test reads PULUMI_GITHUB_TOKEN in `test`/,
      /jobs\.preview-prod reads PULUMI_CONFIG_PASSPHRASE in `production-readonly`/,
      /jobs\.preview-prod reads PULUMI_GITHUB_TOKEN in `production-readonly`/,
    ],
  ],
  // The old layout used the admin token's name PULUMI_GITHUB_TOKEN for the read-only tokens too, so a job could not
  // tell which it got; the read-only one is PULUMI_GITHUB_READ_TOKEN now.
  [
    "release-credentials-only-in-production",
    "before/drift.yml",
    [
      /jobs\.drift-test reads PULUMI_GITHUB_TOKEN in `test-readonly`/,
      /jobs\.drift-prod reads PULUMI_CONFIG_PASSPHRASE in `production-readonly`/,
      /jobs\.drift-prod reads PULUMI_GITHUB_TOKEN in `production-readonly`/,
    ],
  ],
  ["release-credentials-only-in-production", "before/preview.yml", [/jobs\.preview reads PULUMI_GITHUB_TOKEN in `test-readonly`/]],
  ["release-credentials-only-in-production", "before/release-staging.yml", [/jobs\.up-staging reads PULUMI_GITHUB_TOKEN in `staging`/]],
  ["prod-stack-in-production", "before/release.yml", [/jobs\.preview-prod runs `pulumi preview` on prod in `production-readonly`/]],
  ["prod-stack-in-production", "before/drift.yml", [/jobs\.drift-prod runs `pulumi preview` on prod in `production-readonly`/]],
  ["test-github-changes-refused", "before/release.yml", [/jobs\.up-test applies test/]],
  ["test-github-changes-refused", "before/release-staging.yml", [/jobs\.up-staging applies staging/]],
  [
    "install-scripts-off",
    "before/release.yml",
    [
      /up-test\.steps\[2\] runs `npm ci`/,
      /up-test\.steps\[3\] runs `npm ci --prefix policy`/,
      /preview-prod\.steps\[2\]/,
      /preview-prod\.steps\[3\]/,
      /up-prod\.steps\[2\]/,
      /up-prod\.steps\[3\]/,
    ],
  ],
  ["install-scripts-off", "before/preview.yml", [/preview\.steps\[2\] runs `npm ci`/, /preview\.steps\[3\] runs `npm ci --prefix policy`/]],
  ["install-scripts-off", "before/drift.yml", [/drift-test\.steps\[2\]/, /drift-test\.steps\[3\]/, /drift-prod\.steps\[2\]/, /drift-prod\.steps\[3\]/]],
];

describe("main's workflows before this change (fixtures/before)", () => {
  for (const [name, file, patterns] of expected) {
    it(`${name} refuses ${file}: ${patterns.length} violation(s)`, () => {
      const found = rule(name).check(fixture(file));
      for (const p of patterns)
        assert.ok(
          found.some((v) => p.test(v)),
          `expected ${p} among:\n${found.join("\n")}`,
        );
      assert.strictEqual(found.length, patterns.length, found.join("\n"));
    });
  }

  for (const file of ["before/preview.yml", "before/release.yml", "before/drift.yml", "before/release-staging.yml"]) {
    it(`actions-pinned refuses every tag-pinned action of ${file}`, () => {
      const found = rule("actions-pinned").check(fixture(file));
      assert.ok(found.length >= 2 && found.every((v) => /pin the full 40-character commit SHA/.test(v)), found.join("\n"));
    });
  }

  it("the rules that were already there accepted them (what changed is the layout, not the old properties)", () => {
    const old = [
      "permissions-minimal",
      "no-pull-request-target",
      "pull-requests-preview-test-only",
      "secrets-scoped",
      "state-in-real-backend",
      "policy-pack-always",
      "preview-before-up",
      "release-serialised",
    ];
    for (const file of ["before/preview.yml", "before/release.yml", "before/drift.yml", "before/release-staging.yml"]) {
      for (const name of old) assert.deepStrictEqual(rule(name).check(fixture(file)), [], `${name} on ${file}`);
    }
  });
});
