/**
 * The real workflows in .github/workflows (and the examples'): they break none of the workflow rules, and each job
 * does what the credential layout gives it (docs/pipelines.md): preview on pull requests, release test then prod
 * on main with the prod plan in between, daily read-only drift checks, a weekly approved prod drift check.
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
  githubResourceTargets,
  guardsBackend,
  isCheckout,
  isPulumiAction,
  isRecord,
  lines,
  parseWorkflow,
  pulumiSteps,
  runsPullRequestCode,
  secretNames,
  stackBase,
  targetsOf,
  triggers,
  usesComments,
} from "../../workflow-rules";
import { previewCheck } from "../../config/github";

const root = path.resolve(__dirname, "..", "..");
const workflowDir = path.join(root, ".github", "workflows");

const workflowFiles = fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
/** Files that do not parse (say, a duplicate key) fail a test below instead of crashing the whole run. */
const parseErrors: string[] = [];
const workflows: Record<string, Workflow> = {};
const texts: Record<string, string> = {};
for (const f of workflowFiles) {
  try {
    texts[f] = fs.readFileSync(path.join(workflowDir, f), "utf8");
    workflows[f] = parseWorkflow(texts[f]);
  } catch (e) {
    parseErrors.push(`${f}: ${(e as Error).message}`);
  }
}

/** `<example>/<file>` → workflow, for every examples/<example>/.github/workflows/*.yml. */
const exampleWorkflows: Record<string, Workflow> = {};
for (const example of fs.readdirSync(path.join(root, "examples"))) {
  const dir = path.join(root, "examples", example, ".github", "workflows");
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
    texts[`${example}/${f}`] = fs.readFileSync(path.join(dir, f), "utf8");
    exampleWorkflows[`${example}/${f}`] = parseWorkflow(texts[`${example}/${f}`]);
  }
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

const jobsOf = (all: Record<string, Workflow>): JobRef[] =>
  Object.entries(all).flatMap(([file, w]) => Object.entries(w.jobs).map(([id, job]) => ({ file, id, job, workflow: w })));
const allJobs = jobsOf(workflows);
const everyJob = [...allJobs, ...jobsOf(exampleWorkflows)];
const pulumiJobs = everyJob.filter((j) => pulumiSteps(j.job).length > 0);
/** Jobs that hold a secret of their environment (Pulumi jobs, the release plan, the migration drift checks). */
const environmentJobs = everyJob.filter((j) => environmentName(j.job) !== undefined);

function job(file: string, id: string): Job {
  const found = workflow(file).jobs[id];
  assert.ok(found, `${file} has no job ${id}`);
  return found;
}

/** A job's Pulumi steps, all through pulumi/actions: a preview, a preview then an up, or the GitHub-change guard, a preview, an up. */
function pulumiActions(j: Job): Step[] {
  const ops = pulumiSteps(j);
  assert.ok(
    ops.every((op) => op.viaAction),
    "Pulumi runs through pulumi/actions",
  );
  const commands = ops.map((op) => op.command).join(",");
  assert.ok(
    ["preview", "preview,up", "preview,preview,up"].includes(commands),
    `a Pulumi job runs a preview, a preview then an up, or the guard, a preview and an up; not ${commands}`,
  );
  assert.ok(
    ops.every((op) => op.stack === ops[0].stack),
    "a Pulumi job works on one stack",
  );
  return ops.map((op) => op.step);
}

/** The job's operation: its last Pulumi step (an `up` comes after the previews that guard it). */
function pulumiAction(j: Job): Step {
  const steps = pulumiActions(j);
  return steps[steps.length - 1];
}

function indexOf(j: Job, match: (s: Step) => boolean): number {
  return (j.steps ?? []).findIndex(match);
}

const runs = (pattern: RegExp) => (s: Step) => typeof s.run === "string" && pattern.test(s.run);

const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const sdkVersion = packageJson.dependencies["@pulumi/pulumi"];
const stackFiles = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
const stacks = stackFiles.map((f) => f.replace(/^Pulumi\.|\.yaml$/g, ""));
const docs = () => fs.readFileSync(path.join(root, "docs", "pipelines.md"), "utf8");

/** The command the release authority runs to apply a non-prod stack's GitHub settings (docs and the workflows' message). */
const adminApplyCommand = (stack: string) =>
  `GITHUB_TOKEN=<admin token> pulumi up --stack ${stack} ${githubResourceTargets.map((t) => `--target '${t}'`).join(" ")} --policy-pack policy --policy-pack-config policy.config.json`;

describe("the workflows", () => {
  it("all parse as workflows", () => {
    assert.deepStrictEqual(parseErrors, []);
  });

  it("are all there", () => {
    for (const file of ["preview.yml", "release.yml", "drift.yml", "drift-prod.yml", "ci.yml"]) workflow(file);
  });

  for (const [file, w] of Object.entries(workflows)) {
    it(`${file} keeps every workflow rule`, () => {
      assert.deepStrictEqual(findViolations(w), []);
    });
  }

  describe("every job that runs Pulumi (the examples' included)", () => {
    it("targets a stack of this program (Pulumi.<stack>.yaml, or the example's)", () => {
      assert.ok(stacks.includes("test") && stacks.includes("prod"), `expected Pulumi.test.yaml and Pulumi.prod.yaml, found ${stackFiles.join(", ")}`);
      for (const { file, id, job: j } of pulumiJobs) {
        const dir = file.includes("/") ? path.join(root, "examples", file.split("/")[0]) : root;
        for (const op of pulumiSteps(j))
          assert.ok(fs.existsSync(path.join(dir, `Pulumi.${stackBase(op.stack)}.yaml`)), `${file} jobs.${id} targets unknown stack "${op.stack}"`);
      }
    });

    it("installs the program's and the policy pack's dependencies with npm ci --ignore-scripts before Pulumi runs", () => {
      for (const { file, id, job: j } of pulumiJobs) {
        const pulumiAt = pulumiSteps(j)[0].index;
        const rootCi = indexOf(j, runs(/^\s*npm ci --ignore-scripts\s*$/m));
        const policyCi = indexOf(j, runs(/^\s*npm ci --ignore-scripts --prefix policy\s*$/m));
        assert.ok(rootCi >= 0 && rootCi < pulumiAt, `${file} jobs.${id}: \`npm ci --ignore-scripts\` must run before Pulumi`);
        assert.ok(policyCi >= 0 && policyCi < pulumiAt, `${file} jobs.${id}: \`npm ci --ignore-scripts --prefix policy\` must run before Pulumi`);
      }
    });

    it("logs in to the backend named by the environment, with the environment's passphrase, after a step that refuses file://", () => {
      for (const { file, id, job: j } of pulumiJobs) {
        for (const step of pulumiActions(j)) {
          assert.strictEqual(step.with?.["cloud-url"], "${{ vars.PULUMI_BACKEND_URL }}", `${file} jobs.${id} cloud-url`);
          assert.strictEqual(step.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}", `${file} jobs.${id} PULUMI_ACCESS_TOKEN`);
          assert.strictEqual(step.env?.PULUMI_CONFIG_PASSPHRASE, "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", `${file} jobs.${id} PULUMI_CONFIG_PASSPHRASE`);
        }
        const guard = indexOf(j, guardsBackend);
        assert.ok(guard >= 0 && guard < pulumiSteps(j)[0].index, `${file} jobs.${id} checks the backend before Pulumi`);
      }
    });

    it("hands the GitHub provider an admin token in production only, the job's own token (or the read-only one) elsewhere", () => {
      for (const { file, id, job: j } of pulumiJobs) {
        const expected =
          environmentName(j) === "production"
            ? ["${{ secrets.PULUMI_GITHUB_TOKEN }}"]
            : ["${{ github.token }}", "${{ secrets.PULUMI_GITHUB_READ_TOKEN || github.token }}"];
        for (const step of pulumiActions(j))
          assert.ok(expected.includes(String(step.env?.GITHUB_TOKEN)), `${file} jobs.${id}: GITHUB_TOKEN is ${String(step.env?.GITHUB_TOKEN)}`);
      }
    });
  });

  describe("every job bound to an environment", () => {
    it("sets up Node 22 once", () => {
      for (const { file, id, job: j } of environmentJobs) {
        const setupNode = (j.steps ?? []).filter((s) => typeof s.uses === "string" && s.uses.startsWith("actions/setup-node@"));
        assert.strictEqual(setupNode.length, 1, `${file} jobs.${id} sets up Node once`);
        assert.strictEqual(String(setupNode[0].with?.["node-version"]), "22", `${file} jobs.${id} uses Node 22`);
      }
    });

    it("runs the Pulumi CLI of the same version as the @pulumi/pulumi SDK in package.json (install-only steps too)", () => {
      for (const { file, id, job: j } of environmentJobs) {
        for (const step of (j.steps ?? []).filter(isPulumiAction))
          assert.strictEqual(String(step.with?.["pulumi-version"]), sdkVersion, `${file} jobs.${id} pins pulumi-version ${sdkVersion}`);
      }
    });

    it("gives secrets only to the steps that use them: never to the job, the workflow or `npm ci`", () => {
      for (const { file, id, job: j, workflow: w } of environmentJobs) {
        assert.deepStrictEqual(secretNames(j.env ?? {}), [], `${file} jobs.${id} has secrets in its job-level env`);
        assert.deepStrictEqual(secretNames(w.env ?? {}), [], `${file} has secrets in its workflow-level env`);
        for (const step of j.steps ?? []) {
          if (secretNames(step).length === 0) continue;
          const allowed =
            (isPulumiAction(step) && step.with?.command !== undefined) ||
            guardsBackend(step) ||
            runs(/^npm run (release-plan|migration-drift|production-summary) -- /)(step);
          assert.ok(allowed, `${file} jobs.${id} step "${step.name ?? step.uses ?? step.run}" reads secrets`);
          if (guardsBackend(step))
            assert.deepStrictEqual(
              secretNames(step),
              ["PULUMI_ACCESS_TOKEN"],
              `${file} jobs.${id}: the backend check reads only whether PULUMI_ACCESS_TOKEN is set`,
            );
        }
      }
    });

    it("checks out without leaving the job's token in .git/config", () => {
      for (const { file, id, job: j } of environmentJobs) {
        for (const step of (j.steps ?? []).filter(isCheckout))
          assert.strictEqual(step.with?.["persist-credentials"], false, `${file} jobs.${id} checkout sets persist-credentials: false`);
      }
    });
  });

  describe("environments", () => {
    const known = ["test-readonly", "test", "production-readonly", "production"];

    it("are the four of the credential layout", () => {
      for (const { file, id, job: j } of allJobs) {
        const env = environmentName(j);
        if (env !== undefined) assert.ok(known.includes(env), `${file} jobs.${id} uses unknown environment "${env}"`);
      }
      for (const { file, id, job: j } of pulumiJobs) assert.ok(environmentName(j), `${file} jobs.${id} runs Pulumi without an environment`);
    });

    it("pull-request code only ever gets test-readonly", () => {
      for (const { file, id, job: j, workflow: w } of allJobs) {
        if (!runsPullRequestCode(w)) continue;
        const env = environmentName(j);
        assert.ok(env === undefined || env === "test-readonly", `${file} jobs.${id} runs pull-request code in environment "${env}"`);
      }
    });

    it("binds `test` only to jobs that run on a push to main, and `production` to those or to main-only scheduled/manual runs", () => {
      for (const { file, id, job: j, workflow: w } of allJobs) {
        const env = environmentName(j);
        if (env !== "test" && env !== "production") continue;
        if (env === "production" && !triggers(w).includes("push")) {
          assert.deepStrictEqual(triggers(w).sort(), ["schedule", "workflow_dispatch"], `${file} jobs.${id} (production) runs on ${triggers(w).join(", ")}`);
          assert.strictEqual(j.if, "github.ref == 'refs/heads/main'", `${file} jobs.${id} runs only on main`);
          continue;
        }
        // release.yml may also be started by hand for a tag release; up-test then does not run (test released that
        // commit when it was merged), and production checks the tag's commit against the one that passed on test.
        const byHand = triggers(w).includes("workflow_dispatch");
        assert.deepStrictEqual(
          triggers(w).filter((t) => t !== "workflow_dispatch"),
          ["push"],
          `${file} jobs.${id} (${env}) runs on ${triggers(w).join(", ")}`,
        );
        if (byHand && env === "test") assert.strictEqual(j.if, "github.event_name == 'push'", `${file} jobs.${id} applies test on a push only`);
        assert.ok(isRecord(w.on) && isRecord(w.on.push), `${file} push trigger is a mapping`);
        assert.deepStrictEqual(w.on.push.branches, ["main"], `${file} releases from main only`);
      }
    });

    it("jobs on a schedule or on demand that reach prod's state are limited to main", () => {
      for (const { file, id, job: j, workflow: w } of allJobs) {
        const env = environmentName(j);
        if (env?.startsWith("production") && !triggers(w).includes("push")) assert.strictEqual(j.if, "github.ref == 'refs/heads/main'", `${file} jobs.${id}`);
      }
    });
  });

  describe("preview.yml", () => {
    const w = () => workflow("preview.yml");
    const previewJob = () => {
      const named = Object.entries(w().jobs).filter(([id, j]) => checkName(id, j) === previewCheck);
      assert.strictEqual(named.length, 1, `exactly one job has the check name \`${previewCheck}\` (config/github.ts previewCheck, the check main requires)`);
      return named[0][1];
    };

    it("runs on pull requests into main", () => {
      assert.deepStrictEqual(triggers(w()), ["pull_request"]);
      assert.ok(isRecord(w().on) && isRecord((w().on as Record<string, unknown>).pull_request));
    });

    it("has the job whose check name is exactly `preview` (config/github.ts previewCheck), which the protection of main requires", () => {
      previewJob();
      const job0 = w().jobs[previewCheck];
      assert.ok(job0 && (job0.name === undefined || job0.name === previewCheck), `job id \`${previewCheck}\` without another name`);
    });

    it("previews test with the policy pack, in one pull-request comment edited on each push", () => {
      const step = pulumiAction(previewJob());
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

    it("holds only test-readonly credentials, gives the provider the job's own token, and may only read code and comment", () => {
      assert.strictEqual(environmentName(previewJob()), "test-readonly");
      assert.deepStrictEqual(previewJob().permissions, { contents: "read", "pull-requests": "write" });
      assert.strictEqual(pulumiAction(previewJob()).env?.GITHUB_TOKEN, "${{ github.token }}");
      assert.deepStrictEqual(w().permissions, {});
    });
  });

  describe("release.yml", () => {
    const w = () => workflow("release.yml");

    it("runs on a push to main, or by hand for a version tag, one release at a time, never cancelled", () => {
      assert.deepStrictEqual(Object.keys(w().on as object), ["push", "workflow_dispatch"]);
      assert.deepStrictEqual((w().on as Record<string, unknown>).push, { branches: ["main"] });
      assert.deepStrictEqual(Object.keys((w().on as Record<string, { inputs: object }>).workflow_dispatch.inputs), ["tag"]);
      assert.deepStrictEqual(w().concurrency, { group: "release", "cancel-in-progress": false });
    });

    it("applies test with the policy pack in `test` (the integration tests run inside that up)", () => {
      const up = job("release.yml", "up-test");
      assert.strictEqual(environmentName(up), "test");
      assert.deepStrictEqual(
        [pulumiAction(up).with?.command, pulumiAction(up).with?.["stack-name"], pulumiAction(up).with?.policyPacks],
        ["up", "test", "policy"],
      );
    });

    it("up-test first previews only the test stack's GitHub resources, expecting no changes, and explains a refusal with the documented admin command", () => {
      const up = job("release.yml", "up-test");
      const [guard] = pulumiActions(up);
      assert.strictEqual(guard.id, "github-guard");
      assert.deepStrictEqual(targetsOf({ step: guard, index: 0, command: "preview", stack: "test", viaAction: true, args: "" }), githubResourceTargets);
      assert.strictEqual(guard.with?.["expect-no-changes"], true);
      const steps = up.steps ?? [];
      const explain = steps[steps.indexOf(guard) + 1];
      assert.strictEqual(explain.if, "failure() && steps.github-guard.outcome == 'failure'");
      const message = String(explain.run)
        .replace(/\\\$/g, "$")
        .replace(/\$STACK/g, "test");
      assert.ok(message.includes(adminApplyCommand("test")), `the message names the command:\n${adminApplyCommand("test")}`);
      assert.match(message, /release authority/);
      assert.match(message, /exit 1/);
      assert.ok(docs().includes(adminApplyCommand("test")), "docs/pipelines.md gives the same command");
    });

    it("shows the reviewers the release plan from production-readonly, after test, without the prod passphrase", () => {
      const plan = job("release.yml", "plan-prod");
      assert.strictEqual(environmentName(plan), "production-readonly");
      assert.ok(ancestors(w(), "plan-prod").has("up-test"));
      const step = (plan.steps ?? []).find(runs(/npm run release-plan/));
      assert.strictEqual(step?.run, 'npm run release-plan -- --stack prod --summary "$GITHUB_STEP_SUMMARY"');
      const install = indexOf(plan, (s) => isPulumiAction(s) && s.with?.command === undefined);
      assert.ok(install >= 0 && install < (plan.steps ?? []).indexOf(step), "the Pulumi CLI is installed before the plan");
      assert.deepStrictEqual(secretNames(plan).sort(), ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PULUMI_ACCESS_TOKEN"]);
      assert.strictEqual(pulumiSteps(plan).length, 0, "no Pulumi operation (it would need the passphrase)");
    });

    it("applies prod only in production (required reviewers), after test passed and the plan was shown", () => {
      const up = job("release.yml", "up-prod");
      assert.strictEqual(environmentName(up), "production");
      const before = ancestors(w(), "up-prod");
      assert.ok(before.has("up-test") && before.has("plan-prod"), "prod waits for test and the plan");
      assert.deepStrictEqual(
        [pulumiAction(up).with?.command, pulumiAction(up).with?.["stack-name"], pulumiAction(up).with?.policyPacks],
        ["up", "prod", "policy"],
      );
    });

    for (const id of ["up-test", "up-prod"]) {
      it(`${id} previews its stack directly before its up, with the same stack, backend, CLI, policy pack and env`, () => {
        const j = job("release.yml", id);
        const ops = pulumiActions(j);
        const [preview, up] = ops.slice(-2);
        const steps = j.steps ?? [];
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
      for (const id of ["up-test", "up-prod"])
        assert.strictEqual((job("release.yml", id) as Record<string, unknown>)["timeout-minutes"], undefined, `${id} has a timeout`);
    });
  });

  describe("drift.yml (daily, read-only) and drift-prod.yml (weekly, approved)", () => {
    const summaryAfter = (j: Job, step: Step) => (j.steps ?? []).slice((j.steps ?? []).indexOf(step) + 1).find(runs(/\$GITHUB_STEP_SUMMARY/));

    it("drift.yml runs on a schedule and on demand, and never asks the production reviewers", () => {
      const w = workflow("drift.yml");
      assert.deepStrictEqual(triggers(w).sort(), ["schedule", "workflow_dispatch"]);
      for (const [id, j] of Object.entries(w.jobs)) assert.notStrictEqual(environmentName(j), "production", `jobs.${id}`);
    });

    for (const [file, id, stack, env] of [
      ["drift.yml", "drift-test", "test", "test-readonly"],
      ["drift-prod.yml", "drift-prod", "prod", "production"],
    ]) {
      it(`${id} checks ${stack} with refresh and expect-no-changes, from ${env}, and summarises a failure`, () => {
        const j = job(file, id);
        const step = pulumiAction(j);
        assert.deepStrictEqual(
          [step.with?.command, stackBase(String(step.with?.["stack-name"])), step.with?.refresh, step.with?.["expect-no-changes"]],
          ["preview", stack, true, true],
        );
        assert.strictEqual(environmentName(j), env);
        const summary = summaryAfter(j, step);
        assert.ok(summary, `jobs.${id} writes a job summary after the check`);
        assert.ok(typeof summary.if === "string" && /always\(\)|failure\(\)/.test(summary.if), `jobs.${id} summary runs when the check fails`);
        assert.ok(
          typeof step.id === "string" && JSON.stringify(summary.env ?? {}).includes(`steps.${step.id}.outcome`),
          `jobs.${id} summary reads the check's outcome`,
        );
      });
    }

    for (const [id, stack, env] of [
      ["drift-test-history", "test", "test-readonly"],
      ["drift-prod-history", "prod", "production-readonly"],
    ]) {
      it(`${id} compares ${stack}'s migration history with a read-only database role from ${env}, and summarises a failure`, () => {
        const j = job("drift.yml", id);
        assert.strictEqual(environmentName(j), env);
        const step = (j.steps ?? []).find(runs(/npm run migration-drift/));
        assert.ok(step, `jobs.${id} runs npm run migration-drift`);
        assert.strictEqual(step.run, `npm run migration-drift -- --stack ${stack}`);
        assert.deepStrictEqual(
          secretNames(step.env).filter((n) => n.startsWith("DRIFT_")),
          ["DRIFT_DATABASE_URL", "DRIFT_DATABASE_PASSWORD"],
        );
        assert.ok(!secretNames(j).some((n) => /PASSPHRASE/.test(n)), `jobs.${id} holds no passphrase`);
        const summary = summaryAfter(j, step);
        assert.ok(summary && summary.if === "failure()", `jobs.${id} summarises a failure`);
      });
    }

    it("drift-prod.yml runs weekly and on demand, alone in its own concurrency group (not `release`, where a waiting run would replace a waiting release)", () => {
      const w = workflow("drift-prod.yml");
      assert.deepStrictEqual(triggers(w).sort(), ["schedule", "workflow_dispatch"]);
      const cron = ((w.on as Record<string, unknown>).schedule as { cron: string }[])[0].cron;
      assert.match(cron, /^\d+ \d+ \* \* [0-6]$/, "once a week");
      assert.deepStrictEqual(w.concurrency, { group: "drift-prod", "cancel-in-progress": false });
    });
  });

  describe("ci.yml", () => {
    it("runs .ci/run, the README's test command, with no secrets and no environment", () => {
      const w = workflow("ci.yml");
      const steps = Object.values(w.jobs).flatMap((j) => j.steps ?? []);
      assert.ok(steps.some(runs(/^\s*bash \.ci\/run\s*$/m)), "a step runs `bash .ci/run`");
      assert.deepStrictEqual(secretNames(w), []);
      for (const [id, j] of Object.entries(w.jobs)) assert.strictEqual(environmentName(j), undefined, `jobs.${id}`);
    });
  });

  describe("stack config", () => {
    // The read-only environments hold each non-prod stack's passphrase, and test-readonly is open to pull requests.
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
      it(`${file} keeps every workflow rule`, () => {
        assert.deepStrictEqual(findViolations(w), []);
      });
    }

    it("001-mano releases staging from the staging branch only, in `staging`, guarded like up-test", () => {
      const w = exampleWorkflows["001-mano/release-staging.yml"];
      assert.deepStrictEqual(w.on, { push: { branches: ["staging"] } });
      assert.deepStrictEqual(w.concurrency, { group: "release", "cancel-in-progress": false }, "shares release.yml's group");
      const up = w.jobs["up-staging"];
      assert.strictEqual(environmentName(up), "staging");
      const [guard, preview, apply] = pulumiActions(up);
      assert.deepStrictEqual(
        [guard.id, lines(guard.with?.target), preview.with?.command, apply.with?.command, apply.with?.["stack-name"]],
        ["github-guard", githubResourceTargets, "preview", "up", "staging"],
      );
      const explain = (up.steps ?? [])[(up.steps ?? []).indexOf(guard) + 1];
      assert.ok(
        String(explain.run)
          .replace(/\\\$/g, "$")
          .replace(/\$STACK/g, "staging")
          .includes(adminApplyCommand("staging")),
      );
    });
  });

  describe("npm scripts and actions the workflows use", () => {
    const allTexts = () => Object.values(texts).join("\n");

    it("every `npm run <script>` exists in package.json", () => {
      for (const m of allTexts().matchAll(/npm run ([a-z:-]+)/g)) assert.ok(m[1] in packageJson.scripts, `npm run ${m[1]} is not a script in package.json`);
    });

    it("each action is pinned to one SHA and one tag everywhere, and docs/pipelines.md records which tag each SHA is", () => {
      const pins = new Map<string, Set<string>>();
      for (const text of Object.values(texts)) {
        for (const [uses, tags] of usesComments(text))
          for (const tag of tags) pins.set(uses.split("@")[0], (pins.get(uses.split("@")[0]) ?? new Set()).add(`${uses.split("@")[1]} ${tag}`));
      }
      const table = [...docs().matchAll(/^\| `([\w./-]+)` \| `(v[\d.]+)` \| `([0-9a-f]{40})` \|/gm)].map((m) => [m[1], `${m[3]} ${m[2]}`]);
      for (const [action, versions] of pins) {
        assert.strictEqual(versions.size, 1, `${action} is pinned to several versions: ${[...versions].join(", ")}`);
        assert.ok(
          table.some(([a, v]) => a === action && v === [...versions][0]),
          `docs/pipelines.md "Action versions" does not list ${action} ${[...versions][0]}`,
        );
      }
      assert.strictEqual(table.length, pins.size, "docs/pipelines.md lists an action the workflows do not use");
    });
  });

  describe("docs/pipelines.md", () => {
    it("names every secret, variable and environment the workflows use", () => {
      const text = docs();
      const all = JSON.stringify({ ...workflows, ...exampleWorkflows });
      const names = new Set<string>([...secretNames({ ...workflows, ...exampleWorkflows })]);
      for (const m of all.matchAll(/vars\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
      for (const { job: j } of everyJob) {
        const env = environmentName(j);
        if (env) names.add(env);
      }
      for (const name of names) assert.ok(text.includes(`\`${name}\``), `docs/pipelines.md does not mention \`${name}\``);
    });

    it("explains the required check `preview`", () => {
      assert.match(docs(), /`preview`/);
    });
  });
});
