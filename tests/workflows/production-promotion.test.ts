/**
 * No path in the workflows makes a Vercel production deployment live before up-prod's release steps: the rule
 * production-live-only-through-release refuses every way a step could (each case would pass today's other rules),
 * and the real release.yml promotes only inside prod's `pulumi up`, releases a tag through the same gate, and says
 * in up-prod's summary which commit production serves, also after a refusal or a failure.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Workflow, environmentName, findViolations, isCheckout, isPulumiAction, parseWorkflow, productionLiveViolations } from "../../workflow-rules";
import { BadCase, expectCaught, fixture } from "./fixtures";

const root = path.resolve(__dirname, "..", "..");
const release = () => parseWorkflow(fs.readFileSync(path.join(root, ".github", "workflows", "release.yml"), "utf8"));

const withStep = (job: string, step: Record<string, unknown>) => (): Workflow => {
  const w = fixture("release.yml");
  w.jobs[job].steps?.push(step);
  return w;
};

const badCases: BadCase[] = [
  {
    name: "an agent's PR adds `vercel deploy --prod` to up-test",
    build: withStep("up-test", { run: 'npx vercel deploy --prod --token "$VERCEL_TOKEN"' }),
    expect: /deploys to production with the Vercel CLI/,
  },
  {
    name: "`vercel --prod` without the deploy word",
    build: withStep("up-test", { run: "npx vercel --prod --yes" }),
    expect: /deploys to production with the Vercel CLI/,
  },
  {
    name: "`vercel deploy --target=production`",
    build: withStep("up-test", { run: "vercel deploy --target=production" }),
    expect: /deploys to production with the Vercel CLI/,
  },
  {
    name: "`vercel promote` in up-prod before the release",
    build: withStep("up-prod", { run: 'npx vercel promote "$URL" --yes' }),
    expect: /promotes or rolls back with the Vercel CLI/,
  },
  { name: "`vercel rollback` on a schedule", build: withStep("plan-prod", { run: "vercel rollback" }), expect: /promotes or rolls back with the Vercel CLI/ },
  {
    name: "`vercel alias set` of a deployment to the production domain",
    build: withStep("up-test", { run: "vercel alias set my-app-abc.vercel.app app.example.com" }),
    expect: /points a domain at a deployment/,
  },
  {
    name: "a curl of the REST promote endpoint",
    build: withStep("up-test", { run: 'curl -X POST -H "Authorization: Bearer $T" https://api.vercel.com/v10/projects/prj_x/promote/dpl_y' }),
    expect: /calls Vercel's promote or rollback endpoint/,
  },
  {
    name: "a curl of the REST rollback endpoint",
    build: withStep("up-test", { run: "curl -X POST https://api.vercel.com/v1/projects/prj_x/rollback/dpl_y" }),
    expect: /calls Vercel's promote or rollback endpoint/,
  },
  {
    name: "a Vercel deploy action",
    build: withStep("up-test", { uses: "amondnet/vercel-action@16e87c0a08142b0d0d33b76aeaf20823c381b9b9", with: { "vercel-args": "--prod" } }),
    expect: /uses amondnet\/vercel-action, which deploys to Vercel outside the release/,
  },
  {
    name: "a reusable workflow that deploys to Vercel",
    build: () => {
      const w = fixture("release.yml");
      w.jobs.deploy = { uses: "acme/workflows/.github/workflows/vercel-deploy.yml@0123456789012345678901234567890123456789", permissions: {} };
      return w;
    },
    expect: /calls acme\/workflows\/.github\/workflows\/vercel-deploy.yml@[0-9a-f]+, a reusable workflow that may deploy to Vercel/,
  },
];

describe("production-live-only-through-release", () => {
  it("passes the good fixtures and the real workflows", () => {
    assert.deepStrictEqual(productionLiveViolations(fixture("release.yml")), []);
    assert.deepStrictEqual(productionLiveViolations(fixture("preview.yml")), []);
    for (const file of fs.readdirSync(path.join(root, ".github", "workflows")))
      assert.deepStrictEqual(productionLiveViolations(parseWorkflow(fs.readFileSync(path.join(root, ".github", "workflows", file), "utf8"))), [], file);
  });
  for (const c of badCases) {
    it(`refuses ${c.name}`, () => {
      expectCaught(findViolations(c.build()), c.expect);
      expectCaught(findViolations(c.build()), /^production-live-only-through-release: /);
    });
  }
  it("leaves a step that only mentions Vercel alone", () => {
    assert.deepStrictEqual(productionLiveViolations(withStep("up-test", { run: "echo 'Vercel builds this merge as a staged deployment'" })()), []);
  });
});

describe("release.yml: the app goes live only in up-prod, after the prod release", () => {
  it("a tag release skips up-test, and plan-prod and up-prod never run after a failed up-test", () => {
    const w = release();
    assert.strictEqual(w.jobs["up-test"].if, "github.event_name == 'push'");
    for (const id of ["plan-prod", "up-prod"]) {
      assert.strictEqual(w.jobs[id].if, "${{ !cancelled() && !failure() && (github.event_name == 'workflow_dispatch' || vars.RELEASE_FROM != 'tag') }}", id);
    }
  });

  it("plan-prod and up-prod check the tag out and pass RELEASE_TAG to what reads the commit (the release plan, prod's preview and up)", () => {
    const w = release();
    for (const id of ["plan-prod", "up-prod"]) {
      const checkout = (w.jobs[id].steps ?? []).find(isCheckout);
      assert.strictEqual(checkout?.with?.ref, "${{ inputs.tag && format('refs/tags/{0}', inputs.tag) || '' }}", id);
    }
    const plan = (w.jobs["plan-prod"].steps ?? []).find((s) => typeof s.run === "string" && s.run.startsWith("npm run release-plan"));
    assert.strictEqual(plan?.env?.RELEASE_TAG, "${{ inputs.tag }}");
    const ops = (w.jobs["up-prod"].steps ?? []).filter((s) => isPulumiAction(s) && s.with?.command !== undefined);
    assert.deepStrictEqual(
      ops.map((s) => [s.with?.command, s.env?.RELEASE_TAG]),
      [
        ["preview", "${{ inputs.tag }}"],
        ["up", "${{ inputs.tag }}"],
      ],
    );
    for (const id of Object.keys(w.jobs)) {
      for (const step of w.jobs[id].steps ?? [])
        assert.ok(typeof step.run !== "string" || !step.run.includes("inputs."), `jobs.${id} puts an input into a script (${step.name ?? step.run})`);
    }
  });

  it("up-prod's last step always writes which commit production serves, after a refusal or a failure too", () => {
    const steps = release().jobs["up-prod"].steps ?? [];
    const last = steps[steps.length - 1];
    assert.strictEqual(last.if, "always()");
    assert.strictEqual(last.run, 'npm run production-summary -- --stack prod --job-status "$JOB_STATUS" --summary "$GITHUB_STEP_SUMMARY"');
    assert.strictEqual(last.env?.JOB_STATUS, "${{ job.status }}");
    assert.ok(!JSON.stringify(last.env).includes("PASSPHRASE"), "it reads plain outputs, without the passphrase");
    assert.strictEqual(environmentName(release().jobs["up-prod"]), "production");
  });
});
