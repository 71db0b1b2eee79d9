import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { secretSignature } from "../contracts/secret-signature";
import { PlainRunError } from "./errors";

/**
 * No secret at any log level. Measured with the engine (tests/engine/secret-logs.test.ts): `pulumi up --debug`, and
 * `-v=9` into the log file or with --logtostderr, printed a generated CRON_SECRET in plain text. The source is the
 * Node SDK's own debug line "RegisterResource RPC finished: …, resp: <the response>": the response holds every output,
 * secrets included (the CLI masks only secret *config* values it knows, not a generated one). The program stops that
 * leak by dropping the response from those lines; what it cannot stop (the engine and providers at levels that
 * expose credentials, a gRPC dump, provider HTTP logs) it refuses to run under.
 */

const notLogged = "(not logged by deploy-guardrails: RPC responses carry secret values)";

/** A debug message of the SDK without what may hold a secret value. Pure. */
export function redactSdkDebug(message: string): string {
  let result = message;
  const at = result.indexOf(", resp: ");
  if (at >= 0 && /RPC finished/.test(result)) result = `${result.slice(0, at)}, resp: ${notLogged}`;
  if (result.includes(secretSignature)) return "(a debug message of the Pulumi SDK that carried a secret value was not logged by deploy-guardrails)";
  return result;
}

const installed = Symbol.for("deploy-guardrails.debug-redaction");

/** Routes every debug line of the SDK (and of this program) through redactSdkDebug; idempotent. */
export function installDebugRedaction(): void {
  // runtime/resource.js calls log.debug through the same module object as pulumi.log, so replacing it here covers them.
  const log = pulumi.log as unknown as Record<string, unknown> & { debug: (message: string, ...rest: unknown[]) => Promise<void> };
  if ((log.debug as unknown as Record<symbol, boolean>)[installed]) return;
  const original = log.debug;
  const redacted = (message: string, ...rest: unknown[]) => original(redactSdkDebug(String(message)), ...rest);
  (redacted as unknown as Record<symbol, boolean>)[installed] = true;
  log.debug = redacted;
}

export interface LogContext {
  /** Arguments of the pulumi CLI process, when they can be read (Linux /proc); undefined otherwise. */
  cliArgs?: string[];
  env: Record<string, string | undefined>;
}

function verbosity(args: readonly string[]): number {
  let level = 0;
  for (let i = 0; i < args.length; i++) {
    const inline = /^(?:-v|--verbose)=?(\d+)$/.exec(args[i]);
    if (inline) level = Math.max(level, Number(inline[1]));
    else if ((args[i] === "-v" || args[i] === "--verbose") && /^\d+$/.test(args[i + 1] ?? "")) level = Math.max(level, Number(args[i + 1]));
  }
  return level;
}

/**
 * Why this run's logging would print a secret the program cannot redact, as messages naming the flag or variable and
 * the fix; empty when it would not. Pure. What Pulumi documents (pulumi.com/docs/iac/operations/debugging/logging):
 * "At log level 11, Pulumi will intentionally expose some known credentials", and with --logflow "resource providers
 * will log HTTP requests and responses to their cloud APIs". PULUMI_DEBUG_GRPC writes every gRPC message, secret
 * values in plain text, to a file; TF_LOG makes bridged Terraform providers dump HTTP requests with their headers.
 */
export function secretLeakingLogSettings(context: LogContext): string[] {
  const problems: string[] = [];
  const args = context.cliArgs ?? [];
  const level = verbosity(args);
  const logflow = args.some((a) => a === "--logflow" || a === "--logflow=true");
  if (level >= 11) problems.push(`-v=${level}: at level 11 Pulumi writes known credentials into its logs on purpose. Use -v=10 or lower.`);
  if (logflow && level > 0)
    problems.push(
      `--logflow with -v=${level}: it passes the level to the provider plugins, which then log their HTTP requests and responses (tokens, variable values). Drop --logflow.`,
    );
  const grpc = context.env.PULUMI_DEBUG_GRPC;
  if (grpc !== undefined && grpc !== "")
    problems.push("PULUMI_DEBUG_GRPC is set: the engine writes every gRPC message, secret values in plain text, to that file. Unset it.");
  const tfLog = context.env.TF_LOG ?? context.env.TF_LOG_PROVIDER;
  if (tfLog !== undefined && tfLog !== "" && !/^off$/i.test(tfLog))
    problems.push(
      "TF_LOG (or TF_LOG_PROVIDER) is set: the bridged Terraform providers then log their HTTP requests, Authorization headers included. Unset it.",
    );
  return problems;
}

/** The pulumi CLI's arguments, found by walking up the process tree (program → language host → CLI) in /proc. */
export function pulumiCliArgs(procRoot = "/proc", start = process.pid): string[] | undefined {
  let pid = start;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    let argv: string[];
    let stat: string;
    try {
      argv = fs
        .readFileSync(path.join(procRoot, String(pid), "cmdline"), "utf8")
        .split("\0")
        .filter((a) => a.length > 0);
      stat = fs.readFileSync(path.join(procRoot, String(pid), "stat"), "utf8");
    } catch {
      return undefined;
    }
    if (argv.length > 0 && path.basename(argv[0]) === "pulumi") return argv.slice(1);
    pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (!Number.isInteger(pid)) return undefined;
  }
  return undefined;
}

/** Redacts the SDK's debug lines and refuses, before any resource, a run whose logs would print secrets anyway. */
export function guardSecretLogs(context: LogContext = { cliArgs: pulumiCliArgs(), env: process.env }): void {
  installDebugRedaction();
  const problems = secretLeakingLogSettings(context);
  if (problems.length === 0) return;
  throw new PlainRunError(
    `Refusing to run: this run's logging would print secret values (deploy-guardrails never lets a secret reach a log):\n` +
      problems.map((p) => `  - ${p}`).join("\n") +
      "\n--debug and -v up to 10 are fine: the program keeps secrets out of its own debug lines.",
  );
}
