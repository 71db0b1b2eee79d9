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
 * Raised before any resource is registered. A RunError so that Pulumi prints the message alone,
 * without a stack trace that would bury it.
 */
export class ConfigError extends pulumi.RunError {
  constructor(
    readonly stack: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `The configuration of stack "${stack}" is not valid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map(formatIssue).join("\n") +
        `\nFix each key with \`pulumi config set --stack ${stack} ${namespace}:<key> <value>\` ` +
        `(add --secret for secrets, --path for nested values), then run the command again.`,
    );
  }
}
