import { Workflow } from "./workflow";

/**
 * One property every workflow keeps. `check` returns one sentence per place that breaks it, naming the job or step
 * and the fix; an empty list means the workflow keeps it.
 */
export interface WorkflowRule {
  /** kebab-case, as the policy pack names its policies. */
  name: string;
  /** What goes wrong when the rule is broken, and how to fix it. */
  description: string;
  check(workflow: Workflow): string[];
}
