/** Rule no-debug-logs: no Pulumi run at a log level that prints secrets (issue 12, point 7). */
import * as assert from "assert";
import { Workflow, debugLogViolations } from "../../workflow-rules";
import { BadCase, expectCaught, fixture, pulumiStepOf, withOf } from "./fixtures";

const release = () => fixture("release.yml");
const upTest = (w: Workflow) => pulumiStepOf(w.jobs["up-test"]);
const policy = "--policy-pack policy --policy-pack-config policy.config.json";
const cli = (run: string): Workflow => ({ jobs: { release: { steps: [{ run }] } } });

const bad: BadCase[] = [
  {
    name: "pulumi/actions with debug: true",
    build: () => {
      const w = release();
      withOf(upTest(w)).debug = true;
      return w;
    },
    expect: /steps\[4\] runs pulumi\/actions with `debug: true`/,
  },
  {
    name: "pulumi/actions with log-verbosity",
    build: () => {
      const w = release();
      withOf(upTest(w))["log-verbosity"] = 9;
      return w;
    },
    expect: /sets `log-verbosity`/,
  },
  {
    name: "pulumi/actions with log-flow",
    build: () => {
      const w = release();
      withOf(upTest(w))["log-flow"] = "true";
      return w;
    },
    expect: /sets `log-flow: true`/,
  },
  {
    name: "PULUMI_DEBUG_COMMANDS in a step's env",
    build: () => {
      const w = release();
      (upTest(w).env ??= {}).PULUMI_DEBUG_COMMANDS = "true";
      return w;
    },
    expect: /jobs\.up-test\.steps\[4\] env sets PULUMI_DEBUG_COMMANDS/,
  },
  {
    name: "TF_LOG at workflow level",
    build: () => {
      const w = release();
      w.env = { TF_LOG: "DEBUG" };
      return w;
    },
    expect: /workflow env sets TF_LOG/,
  },
  {
    name: "PULUMI_DEBUG_GRPC at job level",
    build: () => {
      const w = release();
      w.jobs["up-prod"].env = { PULUMI_DEBUG_GRPC: "/tmp/grpc.json" };
      return w;
    },
    expect: /jobs\.up-prod env sets PULUMI_DEBUG_GRPC/,
  },
  { name: "pulumi up --debug", build: () => cli(`pulumi up --yes --debug --stack test ${policy}`), expect: /runs pulumi with `--debug`/ },
  { name: "pulumi up -d", build: () => cli(`pulumi up -y -d --stack test ${policy}`), expect: /runs pulumi with `-d`/ },
  {
    name: "pulumi preview -v=9 --logtostderr",
    build: () => cli(`pulumi preview -v=9 --logtostderr --stack test ${policy}`),
    expect: /runs pulumi with `-v=9`/,
  },
  {
    name: "pulumi preview --logtostderr on a continued line",
    build: () => cli(`pulumi preview --stack test \\\n  --logtostderr ${policy}`),
    expect: /runs pulumi with `--logtostderr`/,
  },
  { name: "pulumi up --verbose 3", build: () => cli(`pulumi up --verbose=3 --stack test ${policy}`), expect: /runs pulumi with `--verbose=3`/ },
  { name: "pulumi stack output --logflow", build: () => cli("pulumi stack output --json --logflow"), expect: /runs pulumi with `--logflow`/ },
  { name: "TF_LOG exported through GITHUB_ENV", build: () => cli('echo "TF_LOG=TRACE" >> "$GITHUB_ENV"'), expect: /sets TF_LOG in its script/ },
  {
    name: "export PULUMI_DEBUG_PROMISE_LEAKS",
    build: () => cli("export PULUMI_DEBUG_PROMISE_LEAKS=true\npulumi preview"),
    expect: /sets PULUMI_DEBUG_PROMISE_LEAKS in its script/,
  },
];

describe("rule no-debug-logs", () => {
  it("accepts the fixtures and ordinary flags", () => {
    assert.deepStrictEqual(debugLogViolations(release()), []);
    assert.deepStrictEqual(
      debugLogViolations(cli(`pulumi up --yes --diff --stack test ${policy}\npulumi stack output --json\necho "-v is not a pulumi flag here"`)),
      [],
    );
  });

  for (const c of bad) {
    it(`catches ${c.name}`, () => expectCaught(debugLogViolations(c.build()), c.expect));
  }
});
