import { WorkflowRule } from "../rule";
import { Workflow, envMaps, isPulumiAction, isTrue } from "../workflow";

/** Env vars that turn on the engine's or a bridged provider's debug logs. */
const debugEnv = /^(PULUMI_DEBUG\w*|TF_LOG\w*)$/;

/** The CLI's log flags: `--debug`/`-d`, `-v`/`--verbose[=N]`, `--logtostderr`, `--logflow`. */
const debugFlag = /(?:^|\s)(--debug|-d|--verbose(?:=\S*)?|-v(?:=?\d+)?|--logtostderr|--logflow)(?=\s|$)/;

/**
 * No Pulumi run at a log level that prints secrets. Issue 12 (point 7) measured `pulumi up --debug` and `-v=9` printing a
 * generated secret (the SDK's RegisterResource debug line) in plain text, and GitHub masks only values it knows
 * as secrets, not ones generated during the run. TF_LOG makes bridged providers log their HTTP requests.
 */
export function debugLogViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const { env, where } of envMaps(workflow)) {
    for (const key of Object.keys(env).filter((k) => debugEnv.test(k)))
      out.push(`${where} sets ${key}, which logs resource inputs (secrets included) in plain text; remove it`);
  }
  for (const [id, job] of Object.entries(workflow.jobs)) {
    (job.steps ?? []).forEach((step, index) => {
      const where = `jobs.${id}.steps[${index}]`;
      if (isPulumiAction(step)) {
        if (isTrue(step.with?.debug)) out.push(`${where} runs pulumi/actions with \`debug: true\`, which prints secrets in plain text; remove it`);
        if (step.with?.["log-verbosity"] !== undefined)
          out.push(`${where} sets \`log-verbosity\`, which prints resource inputs (secrets included) in plain text; remove it`);
        if (isTrue(step.with?.["log-flow"])) out.push(`${where} sets \`log-flow: true\`, which passes the log level to the plugins; remove it`);
      }
      if (typeof step.run !== "string") return;
      for (const line of step.run.replace(/\\\n/g, " ").split("\n")) {
        const flag = /\bpulumi\s/.test(line) ? debugFlag.exec(line.slice(line.search(/\bpulumi\s/))) : null;
        if (flag) out.push(`${where} runs pulumi with \`${flag[1]}\`, a log level that prints secrets in plain text; remove it`);
        const assigned = /(?:^|[\s;&|("'])(?:export\s+)?(PULUMI_DEBUG\w*|TF_LOG\w*)=/.exec(line);
        if (assigned) out.push(`${where} sets ${assigned[1]} in its script, which logs resource inputs (secrets included) in plain text; remove it`);
      }
    });
  }
  return out;
}

export const noDebugLogs: WorkflowRule = {
  name: "no-debug-logs",
  description:
    "A Pulumi run logs at a level that prints secrets in plain text (`--debug`, `-v`, `--logtostderr`, `--logflow`, " +
    "pulumi/actions `debug`/`log-verbosity`, PULUMI_DEBUG*, TF_LOG*). Remove the flag or variable.",
  check: debugLogViolations,
};
