import { WorkflowRule } from "../rule";
import { Job, Step, Workflow, isPulumiAction, isRecord, refersToJobToken, secretNames } from "../workflow";

/** `npm ci`, `npm install`/`i`/`add`, `npm rebuild`, `npm install-test`…, `yarn [install]`, `pnpm install`/`i`. */
const installCommand =
  /(?:^|[;&|(]|\bthen\b|\bdo\b)\s*((?:npm|pnpm)\s+(?:ci|install|i|add|rebuild|install-test|it|cit|install-ci-test)\b|yarn(?:\s+(?:install|add)\b|\s*$|\s*[;&|]|\s+--))((?:\\\n|[^\n;&|])*)/gm;

/** The install commands of a `run:` script that would run lifecycle scripts. */
export function installsWithScripts(run: string): string[] {
  const found: string[] = [];
  for (const m of run.matchAll(installCommand)) {
    const command = `${m[1]}${m[2]}`.trim().replace(/\s+/g, " ");
    if (!/\s--ignore-scripts(=true)?(?=\s|$)/.test(command)) found.push(command);
  }
  return found;
}

/** Whether a step (or what it inherits) holds a secret or a job token. */
function holdsSecret(step: Step): boolean {
  return secretNames(step).length > 0 || refersToJobToken(step) || isPulumiAction(step); // pulumi/actions takes github.token by default
}

/**
 * `npm ci` in a job that holds a secret at or after it runs with `--ignore-scripts`: an install script runs with
 * the step's environment and can write $GITHUB_ENV or $GITHUB_PATH (NODE_OPTIONS, a shim `pulumi`), which every
 * later step of the job inherits, so a compromised dependency would run inside the step that holds the passphrase.
 */
export function installScriptViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  const inherited = secretNames(workflow.env ?? {}).length > 0 || refersToJobToken(workflow.env ?? {});
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const steps = job.steps ?? [];
    const jobHolds = inherited || (isRecord(job.env) && (secretNames(job.env).length > 0 || refersToJobToken(job.env)));
    steps.forEach((step, index) => {
      if (typeof step.run !== "string") return;
      const later = jobHolds || steps.slice(index).some(holdsSecret);
      if (!later) return;
      for (const command of installsWithScripts(step.run)) {
        out.push(
          `jobs.${id}.steps[${index}] runs \`${command}\` without --ignore-scripts in a job that holds secrets${laterHolder(job, index)}: an install script can write $GITHUB_ENV (NODE_OPTIONS, PATH) and so run inside that step; use \`npm ci --ignore-scripts\` and run the install steps that need scripts explicitly (docs/pipelines.md, "Install scripts")`,
        );
      }
    });
  }
  return out;
}

function laterHolder(job: Job, index: number): string {
  const steps = job.steps ?? [];
  const at = steps.slice(index).findIndex(holdsSecret);
  return at < 0 ? "" : ` (steps[${index + at}])`;
}

export const installScriptsOff: WorkflowRule = {
  name: "install-scripts-off",
  description:
    "`npm ci` runs dependencies' install scripts in a job that later holds secrets; a script can write $GITHUB_ENV and " +
    "so run code inside the step with the passphrase. Use `npm ci --ignore-scripts` and run needed install steps explicitly.",
  check: installScriptViolations,
};
