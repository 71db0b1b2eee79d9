import * as fs from "fs";
import * as path from "path";
import { Job, Step, Workflow, parseWorkflow } from "../../workflow-rules";

export const fixtureDir = path.join(__dirname, "fixtures");

/** A fixture workflow, parsed fresh from its file (tests change their copy). `before/…` are the workflows of main at c3237f5. */
export function fixture(name: string): Workflow {
  return parseWorkflow(fs.readFileSync(path.join(fixtureDir, name), "utf8"));
}

/** The job's last pulumi/actions step: its operation (an `up` comes after the previews that guard it). */
export function pulumiStepOf(job: Job): Step {
  const step = (job.steps ?? []).filter((s) => typeof s.uses === "string" && s.uses.startsWith("pulumi/actions@") && s.with?.command !== undefined).pop();
  if (!step) throw new Error("fixture has no pulumi/actions step with a command");
  return step;
}

export const withOf = (step: Step): Record<string, unknown> => (step.with ??= {});

export interface BadCase {
  name: string;
  build: () => Workflow;
  expect: RegExp;
}

/** The violations of `check` on a bad case, or a failure message that lists what was found instead. */
export function expectCaught(violations: string[], expect: RegExp): void {
  if (!violations.some((v) => expect.test(v))) throw new Error(`expected a violation matching ${expect}, got:\n${violations.join("\n") || "(none)"}`);
}
