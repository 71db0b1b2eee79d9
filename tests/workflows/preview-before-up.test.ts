/**
 * Table tests for `previewBeforeUpViolations`: every `up` must fail before it changes anything on a policy
 * violation. pulumi/actions runs `up` with `--skip-preview`, so it needs a preview of the same stack, with the same
 * policy pack, backend and env, earlier in its job; a CLI `pulumi up --policy-pack …` previews by itself unless
 * told `--skip-preview`.
 */
import * as assert from "assert";
import { Step, Workflow, githubResourceTargets, previewBeforeUpViolations, rules, skipsPreview } from "../../workflow-rules";

const env = { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}", PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" };
const policy = "--policy-pack policy --policy-pack-config policy.config.json";

/** A pulumi/actions step of the test stack with the policy pack; `over` replaces `with:` keys, `step` step keys. */
function action(command: string, over: Record<string, unknown> = {}, step: Partial<Step> = {}): Step {
  const inputs = {
    command,
    "stack-name": "test",
    "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
    policyPacks: "policy",
    policyPackConfigs: "policy.config.json",
  };
  return { uses: "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d", with: { ...inputs, ...over }, env: { ...env }, ...step };
}

const run = (script: string): Step => ({ run: script });
const release = (...steps: Step[]): Workflow => ({
  jobs: { release: { steps: [{ uses: "actions/checkout@11d5960a326750d5838078e36cf38b85af677262" }, ...steps] } },
});
const githubGuard = () => action("preview", { target: githubResourceTargets.join("\n"), "expect-no-changes": true });

const good: [string, Workflow][] = [
  ["a preview of the same stack right before the up", release(action("preview"), action("up"))],
  ["other steps between the preview and the up", release(action("preview"), run("echo previewed"), action("up", { diff: true, message: "release" }))],
  [
    "the same env in another key order",
    release(
      action("preview", {}, { env: { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE, PULUMI_ACCESS_TOKEN: env.PULUMI_ACCESS_TOKEN } }),
      action("up"),
    ),
  ],
  ["a CLI up with the policy pack (it previews first)", release(run(`pulumi up --yes --stack test ${policy}`))],
  ["a CLI up over continued lines", release(run(`pulumi up --yes \\\n  --stack test \\\n  ${policy}`))],
  ["a CLI up with --skip-preview=false", release(run(`pulumi up --yes --skip-preview=false --stack test ${policy}`))],
  ["an up whose if: only narrows when it runs", release(action("preview"), action("up", {}, { if: "github.ref == 'refs/heads/main'" }))],
  ["the GitHub-change guard, then a full preview, then the up", release(githubGuard(), action("preview"), action("up"))],
];

interface BadCase {
  name: string;
  workflow: Workflow;
  expect: RegExp;
}

const bad: BadCase[] = [
  {
    name: "an up with no preview",
    workflow: release(action("up")),
    expect: /steps\[1\] runs `pulumi up` through pulumi\/actions, which skips the preview, with no `pulumi preview` of test/,
  },
  { name: "an `update` with no preview", workflow: release(action("update")), expect: /runs `pulumi update` through pulumi\/actions.*no `pulumi preview`/ },
  { name: "the preview after the up", workflow: release(action("up"), action("preview")), expect: /no `pulumi preview` of test before it/ },
  {
    name: "the preview in another job",
    workflow: { jobs: { preview: { steps: [action("preview")] }, up: { needs: "preview", steps: [action("up")] } } },
    expect: /jobs\.up\.steps\[0\] .*no `pulumi preview` of test before it in this job/,
  },
  { name: "a preview of another stack", workflow: release(action("preview", { "stack-name": "prod" }), action("up")), expect: /no `pulumi preview` of test/ },
  {
    name: "a preview without the policy pack",
    workflow: release(action("preview", { policyPacks: undefined, policyPackConfigs: undefined }), action("up")),
    expect: /the preview before it \(steps\[1\]\) runs without the policy pack/,
  },
  {
    name: "a preview with another policy config",
    workflow: release(action("preview", { policyPackConfigs: "other.config.json" }), action("up")),
    expect: /runs other policy packs or configs than the up/,
  },
  {
    name: "a preview against another backend",
    workflow: release(action("preview", { "cloud-url": "s3://other-bucket" }), action("up")),
    expect: /uses another `cloud-url` or `env` than the up/,
  },
  {
    name: "a preview with another env",
    workflow: release(action("preview", {}, { env: { PULUMI_ACCESS_TOKEN: env.PULUMI_ACCESS_TOKEN } }), action("up")),
    expect: /uses another `cloud-url` or `env` than the up/,
  },
  {
    name: "only a targeted preview (the GitHub-change guard) before the up",
    workflow: release(githubGuard(), action("up")),
    expect: /the preview before it \(steps\[1\]\) previews only its `--target`s, not everything the up changes/,
  },
  {
    name: "a preview that continues on error",
    workflow: release(action("preview", {}, { "continue-on-error": true }), action("up")),
    expect: /continues on error/,
  },
  {
    name: "a preview that can be skipped",
    workflow: release(action("preview", {}, { if: "github.event_name == 'push'" }), action("up")),
    expect: /has an `if:`, so it can be skipped/,
  },
  {
    name: "an up that runs after a failed preview (if: always())",
    workflow: release(action("preview"), action("up", {}, { if: "${{ always() }}" })),
    expect: /with `if: \$\{\{ always\(\) \}\}`, so it runs even after its preview failed/,
  },
  {
    name: "a CLI up with --skip-preview",
    workflow: release(run(`pulumi up --yes --skip-preview --stack test ${policy}`)),
    expect: /runs `pulumi up --skip-preview`/,
  },
  { name: "a CLI up with -f", workflow: release(run(`pulumi up --yes -f -s test ${policy}`)), expect: /runs `pulumi up --skip-preview`/ },
  { name: "a CLI up with -yf", workflow: release(run(`npx pulumi up -yf --stack test ${policy}`)), expect: /runs `pulumi up --skip-preview`/ },
  {
    name: "a CLI up with --skip-preview on a continued line",
    workflow: release(run(`pulumi up --yes ${policy} \\\n  --skip-preview`)),
    expect: /runs `pulumi up --skip-preview`/,
  },
  {
    name: "a CLI up with --skip-preview even after a preview",
    workflow: release(run(`pulumi preview --stack test ${policy}`), run(`pulumi up --yes --skip-preview --stack test ${policy}`)),
    expect: /steps\[2\] runs `pulumi up --skip-preview`/,
  },
  {
    name: "a CLI up without --policy-pack and no preview",
    workflow: release(run("pulumi up --yes --stack test")),
    expect: /runs `pulumi up` without `--policy-pack`, so its own preview checks no policy, with no `pulumi preview` of test/,
  },
];

describe("rule: every up is previewed with the policy pack first", () => {
  it("is one of the rules findViolations runs", () => {
    assert.ok(rules.some((r) => r.name === "preview-before-up" && r.check === previewBeforeUpViolations));
  });

  for (const [name, workflow] of good) {
    it(`accepts ${name}`, () => {
      assert.deepStrictEqual(previewBeforeUpViolations(workflow), []);
    });
  }

  for (const c of bad) {
    it(`catches ${c.name}`, () => {
      const violations = previewBeforeUpViolations(c.workflow);
      assert.ok(
        violations.some((v) => c.expect.test(v)),
        `expected a violation matching ${c.expect}, got:\n${violations.join("\n") || "(none)"}`,
      );
    });
  }

  it("reads --skip-preview and -f, but not --skip-preview=false or other short flags", () => {
    for (const args of ["--skip-preview", "--yes --skip-preview=true", "-f", "-yf --stack test", "-s test -f"]) assert.ok(skipsPreview(args), args);
    for (const args of ["", "--yes", "--skip-preview=false", "-y -s test", "--stack prod-f", "--refresh"]) assert.ok(!skipsPreview(args), args);
  });
});
