import * as pulumi from "@pulumi/pulumi";
import { findCredentials } from "../contracts/credential-shapes";

export const namespace = "deploy-guardrails";

/** One thing wrong with the stack's configuration: the key, what is wrong, and a value that would be accepted. */
export interface ConfigIssue {
  /** A key of this program (shown with the namespace), or a full `namespace:key` of another one. */
  key: string;
  problem: string;
  example?: string;
}

/**
 * The last line of defence for "never echo a value": every secret value of the stack is replaced by [secret], and an
 * issue whose text still holds something shaped like a credential is withheld, keeping only the key.
 */
export function redactIssue(issue: ConfigIssue, secretValues: readonly string[]): ConfigIssue {
  const redact = (text: string) => secretValues.reduce((t, secret) => (secret.length >= 4 ? t.split(secret).join("[secret]") : t), text);
  const redacted = { ...issue, problem: redact(issue.problem), example: issue.example === undefined ? undefined : redact(issue.example) };
  if (findCredentials(`${redacted.key} ${redacted.problem} ${redacted.example ?? ""}`).length === 0) return redacted;
  return {
    key: findCredentials(redacted.key).length === 0 ? redacted.key : "(a key)",
    problem: "is not valid; the message is withheld because it would have shown a value that looks like a credential",
  };
}

export function formatIssue(issue: ConfigIssue): string {
  const fix = issue.example ? `\n    for example: ${issue.example}` : "";
  const key = issue.key.includes(":") ? issue.key : `${namespace}:${issue.key}`;
  return `  - ${key}: ${issue.problem}${fix}`;
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
