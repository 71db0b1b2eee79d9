import * as pulumi from "@pulumi/pulumi";

export const namespace = "deploy-guardrails";

/** One thing wrong with the stack's configuration: the key, what is wrong, and a value that would be accepted. */
export interface ConfigIssue {
  key: string;
  problem: string;
  example?: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const fix = issue.example ? `\n    for example: ${issue.example}` : "";
  return `  - ${namespace}:${issue.key}: ${issue.problem}${fix}`;
}

/**
 * A RunError (Pulumi prints its message alone) without a stack trace. Pulumi never shows a RunError's stack, but its
 * SDK still formats it with util.inspect for tracing, which under ts-node took about 20 s per failed run here
 * (measured: a program that only throws a RunError previews in 24 s, in 4 s without the stack).
 */
export class PlainRunError extends pulumi.RunError {
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, "stack", { value: "", writable: true, configurable: true });
  }
}

/** Raised before any resource is registered, listing every problem of the stack's configuration. */
export class ConfigError extends PlainRunError {
  constructor(
    readonly stackName: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `The configuration of stack "${stackName}" is not valid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map(formatIssue).join("\n") +
        `\nFix each key with \`pulumi config set --stack ${stackName} ${namespace}:<key> <value>\` ` +
        `(add --secret for secrets, --path for nested values), then run the command again.`,
    );
  }
}
