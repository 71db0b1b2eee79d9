/**
 * Table tests for the workflow security rules: a good preview and a good release workflow (fixtures/*.yml) pass,
 * and each deliberately broken copy is caught with a message that names the problem.
 */
import * as assert from "assert";
import { Job, Workflow, findViolations, parseWorkflow, rules } from "../../workflow-rules";
import { BadCase, expectCaught, fixture, pulumiStepOf, withOf } from "./fixtures";

const goodPreview = () => fixture("preview.yml");
const goodRelease = () => fixture("release.yml");
const previewJob = (w: Workflow): Job => w.jobs.preview;

const badCases: BadCase[] = [
  {
    name: "pull_request_target with a checkout of the pull request's head",
    build: () => {
      const w = goodPreview();
      w.on = { pull_request_target: { branches: ["main"] } };
      previewJob(w).steps?.unshift({
        uses: "actions/checkout@11d5960a326750d5838078e36cf38b85af677262",
        with: { ref: "${{ github.event.pull_request.head.sha }}" },
      });
      return w;
    },
    expect: /checks out the pull request's head under `pull_request_target`/,
  },
  {
    name: "pull_request_target on its own",
    build: () => {
      const w = goodPreview();
      w.on = ["pull_request_target"];
      return w;
    },
    expect: /runs on `pull_request_target`/,
  },
  {
    name: "a pull-request job bound to production",
    build: () => {
      const w = goodPreview();
      previewJob(w).environment = "production";
      return w;
    },
    expect: /bound to the `production` environment but runs on pull_request/,
  },
  {
    name: "a pull-request job bound to production-readonly (still prod credentials)",
    build: () => {
      const w = goodPreview();
      previewJob(w).environment = { name: "production-readonly" };
      return w;
    },
    expect: /bound to the `production-readonly` environment but runs on pull_request/,
  },
  {
    name: "a pull-request job whose environment is an expression",
    build: () => {
      const w = goodPreview();
      previewJob(w).environment = "${{ github.head_ref == 'main' && 'production' || 'test' }}";
      return w;
    },
    expect: /picks its environment with an expression/,
  },
  {
    name: "a merge-queue job bound to production",
    build: () => {
      const w = goodPreview();
      w.on = { merge_group: {} };
      previewJob(w).environment = "production";
      return w;
    },
    expect: /bound to the `production` environment but runs on merge_group/,
  },
  {
    name: "a pull-request job reading secrets.PROD_*",
    build: () => {
      const w = goodPreview();
      pulumiStepOf(previewJob(w)).env = { PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PROD_PULUMI_CONFIG_PASSPHRASE }}" };
      return w;
    },
    expect: /reads PROD_PULUMI_CONFIG_PASSPHRASE without being bound to a production environment/,
  },
  {
    name: "a pull-request job reading secrets['PROD_*']",
    build: () => {
      const w = goodPreview();
      pulumiStepOf(previewJob(w)).env = { TOKEN: "${{ secrets['PROD_VERCEL_TOKEN'] }}" };
      return w;
    },
    expect: /reads PROD_VERCEL_TOKEN without being bound/,
  },
  {
    name: "a prod preview on pull requests",
    build: () => {
      const w = goodPreview();
      withOf(pulumiStepOf(previewJob(w)))["stack-name"] = "prod";
      return w;
    },
    expect: /`pulumi preview` on the prod stack on pull_request/,
  },
  {
    name: "an up on pull requests",
    build: () => {
      const w = goodPreview();
      withOf(pulumiStepOf(previewJob(w))).command = "up";
      return w;
    },
    expect: /runs `pulumi up` on pull_request; pull requests only preview/,
  },
  {
    name: "every secret serialised with toJSON(secrets)",
    build: () => {
      const w = goodPreview();
      previewJob(w).steps?.push({ run: "echo '${{ toJSON(secrets) }}' > /tmp/s" });
      return w;
    },
    expect: /toJSON\(secrets\)/,
  },
  {
    name: "secrets: inherit into a reusable workflow",
    build: () => {
      const w = goodRelease();
      w.jobs.reuse = { uses: "./.github/workflows/other.yml", secrets: "inherit", permissions: {} };
      return w;
    },
    expect: /`secrets: inherit`/,
  },
  {
    name: "file:// backend as cloud-url",
    build: () => {
      const w = goodPreview();
      withOf(pulumiStepOf(previewJob(w)))["cloud-url"] = "file://~";
      return w;
    },
    expect: /logs in to a runner-local file:\/\/ backend/,
  },
  {
    name: "file:// backend through PULUMI_BACKEND_URL",
    build: () => {
      const w = goodRelease();
      w.env = { PULUMI_BACKEND_URL: "file:///tmp/state" };
      return w;
    },
    expect: /workflow sets PULUMI_BACKEND_URL to a runner-local file:\/\/ backend/,
  },
  {
    name: "pulumi login --local in a script",
    build: () => {
      const w = goodRelease();
      w.jobs["up-test"].steps?.splice(1, 0, { run: "pulumi login --local" });
      return w;
    },
    expect: /runs `pulumi login` against a runner-local backend/,
  },
  {
    name: "a Pulumi step with no backend at all",
    build: () => {
      const w = goodRelease();
      delete pulumiStepOf(w.jobs["up-test"]).env;
      return w;
    },
    expect: /has no state backend/,
  },
  {
    name: "cloud-url from an expression with no file:// guard before it",
    build: () => {
      const w = goodPreview();
      previewJob(w).steps = (previewJob(w).steps ?? []).filter((s) => !(typeof s.run === "string" && s.run.includes("file:")));
      return w;
    },
    expect: /takes `cloud-url` from an expression without an earlier step that refuses a file:\/\/ backend/,
  },
  {
    name: "an up without the policy pack",
    build: () => {
      const w = goodRelease();
      delete withOf(pulumiStepOf(w.jobs["up-prod"])).policyPacks;
      return w;
    },
    expect: /jobs\.up-prod\.steps\[3\] runs `pulumi up` without `policyPacks: policy`/,
  },
  {
    name: "a preview without the policy pack",
    build: () => {
      const w = goodPreview();
      delete withOf(pulumiStepOf(previewJob(w))).policyPacks;
      delete withOf(pulumiStepOf(previewJob(w))).policyPackConfigs;
      return w;
    },
    expect: /runs `pulumi preview` without `policyPacks: policy`/,
  },
  {
    name: "a policy pack without its config",
    build: () => {
      const w = goodPreview();
      delete withOf(pulumiStepOf(previewJob(w))).policyPackConfigs;
      return w;
    },
    expect: /without `policyPackConfigs: policy.config.json`/,
  },
  {
    name: "pulumi up in a script without --policy-pack",
    build: () => {
      const w = goodRelease();
      w.jobs["up-test"].steps = [{ run: "pulumi up --yes --stack test" }];
      return w;
    },
    expect: /runs `pulumi up` without `--policy-pack policy`/,
  },
  {
    name: "a destroy in a pipeline",
    build: () => {
      const w = goodRelease();
      withOf(pulumiStepOf(w.jobs["up-test"])).command = "destroy";
      return w;
    },
    expect: /no pipeline destroys a stack/,
  },
  {
    name: "a release without concurrency",
    build: () => {
      const w = goodRelease();
      delete w.concurrency;
      return w;
    },
    expect: /without a top-level `concurrency:` group/,
  },
  {
    name: "a release with cancel-in-progress: true",
    build: () => {
      const w = goodRelease();
      w.concurrency = { group: "release", "cancel-in-progress": true };
      return w;
    },
    expect: /must say `cancel-in-progress: false`/,
  },
  {
    name: "a release whose concurrency leaves cancel-in-progress unsaid",
    build: () => {
      const w = goodRelease();
      w.concurrency = { group: "release" };
      return w;
    },
    expect: /must say `cancel-in-progress: false`/,
  },
  {
    name: "a release whose concurrency is a bare group name",
    build: () => {
      const w = goodRelease();
      w.concurrency = "release";
      return w;
    },
    expect: /must be a mapping with a `group` and `cancel-in-progress: false`/,
  },
  {
    name: "an apply job that can be cancelled mid-apply",
    build: () => {
      const w = goodRelease();
      w.jobs["up-prod"].concurrency = { group: "prod", "cancel-in-progress": true };
      return w;
    },
    expect: /jobs\.up-prod can be cancelled mid-apply/,
  },
  {
    name: "prod applied without waiting for test",
    build: () => {
      const w = goodRelease();
      delete w.jobs["up-prod"].needs;
      return w;
    },
    expect: /applies prod without needing the job that applies test/,
  },
  {
    name: "prod applied outside the production environment",
    build: () => {
      const w = goodRelease();
      delete w.jobs["up-prod"].environment;
      return w;
    },
    expect: /runs `pulumi up` on prod without a production environment/,
  },
  {
    name: "prod applied from production-readonly (no reviewers)",
    build: () => {
      const w = goodRelease();
      w.jobs["up-prod"].environment = "production-readonly";
      return w;
    },
    expect: /outside the `production` environment, so no required reviewer approves it/,
  },
  {
    name: "a Pulumi step whose stack is an expression",
    build: () => {
      const w = goodRelease();
      withOf(pulumiStepOf(w.jobs["up-test"]))["stack-name"] = "${{ inputs.stack }}";
      return w;
    },
    expect: /picks its stack with an expression \(\$\{\{ inputs.stack \}\}\), which could name prod/,
  },
  {
    name: "missing top-level permissions",
    build: () => {
      const w = goodPreview();
      delete w.permissions;
      return w;
    },
    expect: /no top-level `permissions:`/,
  },
  {
    name: "permissions: write-all at the top",
    build: () => {
      const w = goodRelease();
      w.permissions = "write-all";
      return w;
    },
    expect: /sets `permissions: write-all`/,
  },
  {
    name: "permissions: write-all on a job",
    build: () => {
      const w = goodRelease();
      w.jobs["up-prod"].permissions = "write-all";
      return w;
    },
    expect: /jobs\.up-prod sets `permissions: write-all`/,
  },
  {
    name: "top-level grants instead of {}",
    build: () => {
      const w = goodPreview();
      w.permissions = { contents: "read" };
      return w;
    },
    expect: /top-level `permissions:` must be `\{\}`/,
  },
  {
    name: "a job without a permissions block",
    build: () => {
      const w = goodRelease();
      delete w.jobs["up-test"].permissions;
      return w;
    },
    expect: /jobs\.up-test has no `permissions:`/,
  },
  {
    name: "a job granted contents: write",
    build: () => {
      const w = goodPreview();
      previewJob(w).permissions = { contents: "write", "pull-requests": "write" };
      return w;
    },
    expect: /grants `contents: write`/,
  },
  {
    name: "an action pinned to a branch",
    build: () => {
      const w = goodPreview();
      pulumiStepOf(previewJob(w)).uses = "pulumi/actions@main";
      return w;
    },
    expect: /pin the full 40-character commit SHA of a release, with the tag as a comment/,
  },
];

describe("workflow rules", () => {
  it("accept the good preview and release fixtures", () => {
    assert.deepStrictEqual(findViolations(goodPreview()), []);
    assert.deepStrictEqual(findViolations(goodRelease()), []);
  });

  for (const c of badCases) {
    it(`catch ${c.name}`, () => {
      expectCaught(findViolations(c.build()), c.expect);
    });
  }

  it("have kebab-case names, each used once, and descriptions that say what is wrong and how to fix it", () => {
    const names = rules.map((r) => r.name);
    assert.deepStrictEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
    for (const rule of rules) {
      assert.match(rule.name, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(rule.description.length > 60 && /\. [A-Z`]/.test(rule.description), `${rule.name}: say what is wrong, then how to fix it`);
    }
  });

  it("name the rule in each violation", () => {
    const w = goodPreview();
    delete w.permissions;
    assert.ok(findViolations(w).some((v) => v.startsWith("permissions-minimal: ")));
  });

  it("read the `on:` key as a trigger, not as YAML 1.1's boolean", () => {
    const w = parseWorkflow("on: pull_request\npermissions: {}\njobs: {}\n");
    assert.strictEqual(w.on, "pull_request");
  });

  it("reject a document that is not a workflow", () => {
    assert.throws(() => parseWorkflow("- just\n- a list\n"), /mapping/);
    assert.throws(() => parseWorkflow("name: x\n"), /jobs/);
  });
});
