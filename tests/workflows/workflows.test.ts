/**
 * The real workflows in .github/workflows: they break none of the security rules, and each does the job the
 * deployment model gives it (preview on pull requests, release test then prod on main, drift on a schedule).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import {
  Job,
  Step,
  Workflow,
  ancestors,
  checkName,
  environmentName,
  findViolations,
  guardsBackend,
  isCheckout,
  isRecord,
  parseWorkflow,
  pulumiSteps,
  runsPullRequestCode,
  secretNames,
  stackBase,
  triggers,
} from "./rules";

const root = path.resolve(__dirname, "..", "..");
const workflowDir = path.join(root, ".github", "workflows");

const workflowFiles = fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
/** Files that do not parse (say, a duplicate key) fail a test below instead of crashing the whole run. */
const parseErrors: string[] = [];
const workflows: Record<string, Workflow> = {};
for (const f of workflowFiles) {
  try {
    workflows[f] = parseWorkflow(fs.readFileSync(path.join(workflowDir, f), "utf8"));
  } catch (e) {
    parseErrors.push(`${f}: ${(e as Error).message}`);
  }
}

/** `<example>/<file>` → workflow, for every examples/<example>/.github/workflows/*.yml. */
const exampleWorkflows: Record<string, Workflow> = {};
for (const example of fs.readdirSync(path.join(root, "examples"))) {
  const dir = path.join(root, "examples", example, ".github", "workflows");
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) exampleWorkflows[`${example}/${f}`] = parseWorkflow(fs.readFileSync(path.join(dir, f), "utf8"));
}

function workflow(file: string): Workflow {
  const w = workflows[file];
  assert.ok(w, `.github/workflows/${file} is missing`);
  return w;
}

interface JobRef {
  file: string;
  id: string;
  job: Job;
  workflow: Workflow;
}

const allJobs: JobRef[] = Object.entries(workflows).flatMap(([file, w]) => Object.entries(w.jobs).map(([id, job]) => ({ file, id, job, workflow: w })));
const pulumiJobs = allJobs.filter((j) => pulumiSteps(j.job).length > 0);

/** The single job in `file` whose operation (its last Pulumi step) is `command` on `stack`. */
function jobRunning(file: string, command: string, stack: string): JobRef {
  const found = pulumiJobs.filter((j) => j.file === file && pulumiAction(j.job).with?.command === command && stackBase(String(pulumiAction(j.job).with?.["stack-name"])) === stack);
  assert.strictEqual(found.length, 1, `${file} should have exactly one job running \`pulumi ${command}\` on ${stack}, found ${found.length}`);
  return found[0];
}

/** Every Pulumi step of a job: all through pulumi/actions; at most a preview of the same stack before an up. */
function pulumiActions(job: Job): Step[] {
  const ops = pulumiSteps(job);
  assert.ok(ops.every((op) => op.viaAction), "Pulumi runs through pulumi/actions");
  const commands = ops.map((op) => op.command).join(",");
  assert.ok(["preview", "preview,up"].includes(commands), `a Pulumi job runs a preview, or a preview then an up, not ${commands}`);
  assert.ok(ops.every((op) => op.stack === ops[0].stack), "a Pulumi job works on one stack");
  return ops.map((op) => op.step);
}

/** The job's operation: its last Pulumi step (an `up` comes after the preview that guards it). */
function pulumiAction(job: Job): Step {
  const steps = pulumiActions(job);
  return steps[steps.length - 1];
}

function indexOf(job: Job, match: (s: Step) => boolean): number {
  return (job.steps ?? []).findIndex(match);
}

const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const stackFiles = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
const stacks = stackFiles.map((f) => f.replace(/^Pulumi\.|\.yaml$/g, ""));

describe("the workflows", () => {
  it("all parse as workflows", () => {
    assert.deepStrictEqual(parseErrors, []);
  });

  it("are all there", () => {
    for (const file of ["preview.yml", "release.yml", "drift.yml", "ci.yml"]) workflow(file);
  });

  for (const [file, w] of Object.entries(workflows)) {
    it(`${file} keeps every security rule`, () => {
      assert.deepStrictEqual(findViolations(w), []);
    });
  }

  describe("every job that runs Pulumi", () => {
    it("targets a stack of this program (Pulumi.<stack>.yaml)", () => {
      assert.ok(stacks.includes("test") && stacks.includes("prod"), `expected Pulumi.test.yaml and Pulumi.prod.yaml, found ${stackFiles.join(", ")}`);
      for (const { file, id, job } of pulumiJobs) {
        for (const op of pulumiSteps(job)) assert.ok(stacks.includes(stackBase(op.stack)), `${file} jobs.${id} targets unknown stack "${op.stack}"`);
      }
    });

    it("installs the program's and the policy pack's dependencies with npm ci before Pulumi runs", () => {
      for (const { file, id, job } of pulumiJobs) {
        const pulumiAt = pulumiSteps(job)[0].index;
        const rootCi = indexOf(job, (s) => typeof s.run === "string" && /^\s*npm ci\s*$/m.test(s.run));
        const policyCi = indexOf(job, (s) => typeof s.run === "string" && /^\s*npm ci --prefix policy\s*$/m.test(s.run));
        assert.ok(rootCi >= 0 && rootCi < pulumiAt, `${file} jobs.${id}: \`npm ci\` must run before Pulumi`);
        assert.ok(policyCi >= 0 && policyCi < pulumiAt, `${file} jobs.${id}: \`npm ci --prefix policy\` must run before Pulumi`);
      }
    });

    it("sets up Node 22", () => {
      for (const { file, id, job } of pulumiJobs) {
        const setupNode = (job.steps ?? []).filter((s) => typeof s.uses === "string" && s.uses.startsWith("actions/setup-node@"));
        assert.strictEqual(setupNode.length, 1, `${file} jobs.${id} sets up Node once`);
        assert.strictEqual(String(setupNode[0].with?.["node-version"]), "22", `${file} jobs.${id} uses Node 22`);
      }
    });

    it("runs the Pulumi CLI of the same version as the @pulumi/pulumi SDK in package.json", () => {
      const sdk = packageJson.dependencies["@pulumi/pulumi"];
      for (const { file, id, job } of pulumiJobs) {
        for (const step of pulumiActions(job)) assert.strictEqual(String(step.with?.["pulumi-version"]), sdk, `${file} jobs.${id} pins pulumi-version ${sdk}`);
      }
    });

    it("logs in to the backend named by the environment, after a step that refuses file://", () => {
      for (const { file, id, job } of pulumiJobs) {
        for (const step of pulumiActions(job)) {
          assert.strictEqual(step.with?.["cloud-url"], "${{ vars.PULUMI_BACKEND_URL }}", `${file} jobs.${id} cloud-url`);
          assert.strictEqual(step.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}", `${file} jobs.${id} PULUMI_ACCESS_TOKEN`);
          assert.strictEqual(step.env?.PULUMI_CONFIG_PASSPHRASE, "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", `${file} jobs.${id} PULUMI_CONFIG_PASSPHRASE`);
        }
        const guard = indexOf(job, guardsBackend);
        assert.ok(guard >= 0 && guard < pulumiSteps(job)[0].index, `${file} jobs.${id} checks the backend before Pulumi`);
      }
    });

    it("gives credentials to the Pulumi steps only, not to the job (so `npm ci` scripts never see them)", () => {
      for (const { file, id, job, workflow: w } of pulumiJobs) {
        assert.deepStrictEqual(secretNames(job.env ?? {}), [], `${file} jobs.${id} has secrets in its job-level env`);
        assert.deepStrictEqual(secretNames(w.env ?? {}), [], `${file} has secrets in its workflow-level env`);
        for (const step of job.steps ?? []) {
          if (pulumiActions(job).includes(step)) continue;
          const leaked = secretNames(step).filter((n) => n !== "PULUMI_ACCESS_TOKEN" || !guardsBackend(step));
          assert.deepStrictEqual(leaked, [], `${file} jobs.${id} step "${step.name ?? step.uses ?? step.run}" reads secrets`);
        }
      }
    });

    it("checks out without leaving the job's token in .git/config", () => {
      for (const { file, id, job } of pulumiJobs) {
        for (const step of (job.steps ?? []).filter(isCheckout)) {
          assert.strictEqual(step.with?.["persist-credentials"], false, `${file} jobs.${id} checkout sets persist-credentials: false`);
        }
      }
    });
  });

  describe("environments", () => {
    const known = ["test-readonly", "test", "production-readonly", "production"];

    it("are the four documented ones", () => {
      for (const { file, id, job } of allJobs) {
        const env = environmentName(job);
        if (env !== undefined) assert.ok(known.includes(env), `${file} jobs.${id} uses unknown environment "${env}"`);
      }
      for (const { file, id, job } of pulumiJobs) assert.ok(environmentName(job), `${file} jobs.${id} runs Pulumi without an environment`);
    });

    it("pull-request code only ever gets test-readonly", () => {
      for (const { file, id, job, workflow: w } of allJobs) {
        if (!runsPullRequestCode(w)) continue;
        const env = environmentName(job);
        assert.ok(env === undefined || env === "test-readonly", `${file} jobs.${id} runs pull-request code in environment "${env}"`);
      }
    });

    it("binds the write environments (test, production) only to jobs that run on a push to main", () => {
      for (const { file, id, job, workflow: w } of allJobs) {
        const env = environmentName(job);
        if (env !== "test" && env !== "production") continue;
        assert.deepStrictEqual(triggers(w), ["push"], `${file} jobs.${id} (${env}) runs on ${triggers(w).join(", ")}`);
        assert.ok(isRecord(w.on) && isRecord(w.on.push), `${file} push trigger is a mapping`);
        assert.deepStrictEqual(w.on.push.branches, ["main"], `${file} releases from main only`);
      }
    });
  });

  describe("preview.yml", () => {
    const w = () => workflow("preview.yml");
    const job = () => {
      const named = Object.entries(w().jobs).filter(([id, j]) => checkName(id, j) === "preview");
      assert.strictEqual(named.length, 1, "exactly one job has the check name `preview`");
      return named[0][1];
    };

    it("runs on pull requests into main", () => {
      assert.deepStrictEqual(triggers(w()), ["pull_request"]);
      assert.ok(isRecord(w().on) && isRecord((w().on as Record<string, unknown>).pull_request));
    });

    it("has the job whose check name is exactly `preview`, which branch protection requires", () => {
      job();
      const job0 = w().jobs.preview;
      assert.ok(job0 && (job0.name === undefined || job0.name === "preview"), "job id `preview` without another name");
    });

    it("previews test with the policy pack, in one pull-request comment edited on each push", () => {
      const step = pulumiAction(job());
      assert.match(String(step.uses), /^pulumi\/actions@(v7(\.\d+){0,2}|[0-9a-f]{40})$/);
      assert.deepStrictEqual(
        {
          command: step.with?.command,
          stack: stackBase(String(step.with?.["stack-name"])),
          policyPacks: step.with?.policyPacks,
          policyPackConfigs: step.with?.policyPackConfigs,
          comment: step.with?.["comment-on-pr"],
          edit: step.with?.["edit-pr-comment"],
        },
        { command: "preview", stack: "test", policyPacks: "policy", policyPackConfigs: "policy.config.json", comment: true, edit: true },
      );
      assert.notStrictEqual(step["continue-on-error"], true, "a policy violation must fail the check");
    });

    it("holds only test-readonly credentials and may only read code and comment", () => {
      assert.strictEqual(environmentName(job()), "test-readonly");
      assert.deepStrictEqual(job().permissions, { contents: "read", "pull-requests": "write" });
      assert.deepStrictEqual(w().permissions, {});
    });
  });

  describe("release.yml", () => {
    const w = () => workflow("release.yml");

    it("runs on a push to main only, one release at a time, never cancelled", () => {
      assert.deepStrictEqual(w().on, { push: { branches: ["main"] } });
      assert.ok(isRecord(w().concurrency));
      assert.strictEqual((w().concurrency as Record<string, unknown>)["cancel-in-progress"], false);
    });

    it("applies test with the policy pack in the test environment (the integration tests run inside that up)", () => {
      const up = jobRunning("release.yml", "up", "test");
      assert.strictEqual(environmentName(up.job), "test");
      assert.strictEqual(pulumiAction(up.job).with?.policyPacks, "policy");
    });

    it("previews prod for the reviewers from production-readonly, after test", () => {
      const preview = jobRunning("release.yml", "preview", "prod");
      assert.strictEqual(environmentName(preview.job), "production-readonly");
      assert.ok(ancestors(w(), preview.id).has(jobRunning("release.yml", "up", "test").id));
    });

    it("applies prod only in production (required reviewers), after test passed and prod was previewed", () => {
      const up = jobRunning("release.yml", "up", "prod");
      assert.strictEqual(environmentName(up.job), "production");
      const before = ancestors(w(), up.id);
      assert.ok(before.has(jobRunning("release.yml", "up", "test").id), "prod waits for test");
      assert.ok(before.has(jobRunning("release.yml", "preview", "prod").id), "prod waits for its preview");
      assert.strictEqual(pulumiAction(up.job).with?.policyPacks, "policy");
    });

    for (const stack of ["test", "prod"]) {
      it(`previews ${stack} directly before its up, with the same stack, backend, CLI, policy pack and env`, () => {
        const { job, id } = jobRunning("release.yml", "up", stack);
        const [preview, up] = pulumiActions(job);
        const steps = job.steps ?? [];
        assert.strictEqual(steps.indexOf(preview) + 1, steps.indexOf(up), `jobs.${id}: the preview is the step right before the up`);
        const same = (s: Step) => {
          const { command: _command, diff: _diff, "comment-on-summary": _summary, message: _message, ...rest } = s.with ?? {};
          return { uses: s.uses, with: rest, env: s.env, if: s.if, "continue-on-error": s["continue-on-error"] };
        };
        assert.deepStrictEqual(same(preview), same(up), `jobs.${id}: the preview runs what the up runs`);
        assert.strictEqual(preview.with?.command, "preview");
      });
    }

    it("sets no timeout on apply jobs that could kill an apply halfway", () => {
      for (const stack of ["test", "prod"]) {
        const up = jobRunning("release.yml", "up", stack);
        assert.strictEqual((up.job as Record<string, unknown>)["timeout-minutes"], undefined, `${up.id} has a timeout`);
      }
    });
  });

  describe("drift.yml", () => {
    const w = () => workflow("drift.yml");

    it("runs on a schedule (and on demand)", () => {
      assert.ok(triggers(w()).includes("schedule"));
      assert.ok(!runsPullRequestCode(w()));
    });

    for (const [stack, env] of [
      ["test", "test-readonly"],
      ["prod", "production-readonly"],
    ]) {
      it(`checks ${stack} with refresh and expect-no-changes, from ${env}, and summarises a failure`, () => {
        const { job, id } = jobRunning("drift.yml", "preview", stack);
        const step = pulumiAction(job);
        assert.strictEqual(step.with?.refresh, true);
        assert.strictEqual(step.with?.["expect-no-changes"], true);
        assert.strictEqual(environmentName(job), env);
        const at = (job.steps ?? []).indexOf(step);
        const summary = (job.steps ?? []).slice(at + 1).find((s) => typeof s.run === "string" && s.run.includes("$GITHUB_STEP_SUMMARY"));
        assert.ok(summary, `jobs.${id} writes a job summary after the check`);
        assert.ok(typeof summary.if === "string" && /always\(\)|failure\(\)/.test(summary.if), `jobs.${id} summary runs when the check fails`);
        assert.ok(typeof step.id === "string" && typeof summary.run === "string" && summary.run.length > 0);
        assert.ok(JSON.stringify(summary.env ?? {}).includes(`steps.${step.id}.outcome`), `jobs.${id} summary reads the check's outcome`);
      });
    }

    it("never asks the production reviewers: no job is bound to production", () => {
      for (const [id, job] of Object.entries(w().jobs)) assert.notStrictEqual(environmentName(job), "production", `jobs.${id}`);
    });
  });

  describe("ci.yml", () => {
    it("runs .ci/run, the README's test command, with no secrets and no environment", () => {
      const w = workflow("ci.yml");
      const steps = Object.values(w.jobs).flatMap((j) => j.steps ?? []);
      assert.ok(steps.some((s) => typeof s.run === "string" && /^\s*bash \.ci\/run\s*$/m.test(s.run)), "a step runs `bash .ci/run`");
      assert.deepStrictEqual(secretNames(w), []);
      for (const [id, job] of Object.entries(w.jobs)) assert.strictEqual(environmentName(job), undefined, `jobs.${id}`);
    });
  });

  describe("stack config", () => {
    // The read-only environments hold each stack's passphrase, and test-readonly is open to pull requests.
    // An admin GitHub token inside a stack's config would therefore reach agents (test) or skip approval (prod).
    for (const file of ["Pulumi.test.yaml", "Pulumi.prod.yaml"]) {
      it(`${file} holds no GitHub admin token (it comes from the environment's PULUMI_GITHUB_TOKEN)`, () => {
        const doc = yaml.load(fs.readFileSync(path.join(root, file), "utf8"));
        const config = isRecord(doc) && isRecord(doc.config) ? doc.config : {};
        assert.ok(!("deploy-guardrails:githubToken" in config), `${file} sets deploy-guardrails:githubToken`);
      });
    }
  });

  describe("the examples' workflows (examples/*/.github/workflows)", () => {
    it("are found", () => {
      assert.ok(Object.keys(exampleWorkflows).includes("001-mano/release-staging.yml"), Object.keys(exampleWorkflows).join(", "));
    });

    for (const [file, w] of Object.entries(exampleWorkflows)) {
      it(`${file} keeps every security rule (every up previewed first)`, () => {
        assert.deepStrictEqual(findViolations(w), []);
      });

      it(`${file} pins pulumi-version to the @pulumi/pulumi SDK in package.json`, () => {
        for (const [id, job] of Object.entries(w.jobs)) {
          for (const op of pulumiSteps(job).filter((o) => o.viaAction)) {
            assert.strictEqual(String(op.step.with?.["pulumi-version"]), packageJson.dependencies["@pulumi/pulumi"], `${file} jobs.${id}.steps[${op.index}]`);
          }
        }
      });
    }
  });

  describe("docs/pipelines.md", () => {
    const doc = () => fs.readFileSync(path.join(root, "docs", "pipelines.md"), "utf8");

    it("names every secret, variable and environment the workflows use", () => {
      const text = doc();
      const all = JSON.stringify(workflows);
      const names = new Set<string>([...secretNames(workflows)]);
      for (const m of all.matchAll(/vars\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
      for (const { job } of allJobs) {
        const env = environmentName(job);
        if (env) names.add(env);
      }
      for (const name of names) assert.ok(text.includes(`\`${name}\``), `docs/pipelines.md does not mention \`${name}\``);
    });

    it("explains the required check `preview`", () => {
      assert.match(doc(), /`preview`/);
    });
  });
});
