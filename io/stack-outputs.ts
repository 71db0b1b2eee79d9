import * as pulumi from "@pulumi/pulumi";
import { PlainRunError } from "../config/errors";

/**
 * Reads another stack's (or this stack's own previous) plain outputs before any resource is registered: whether prod
 * releases at all, and what a release step starts from, depend on them, so they are awaited here rather than used
 * inside an `apply`. Values are plain data; a secret output reads as undefined.
 */
export async function readStackOutputs(resourceName: string, stackName: string, keys: string[]): Promise<Record<string, unknown>> {
  const reference = new pulumi.StackReference(resourceName, { name: stackName });
  const values: Record<string, unknown> = {};
  try {
    for (const key of keys) values[key] = (await reference.getOutputDetails(key)).value;
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new PlainRunError(`Cannot read the outputs of stack "${stackName}" (${reason}).`);
  }
  return values;
}

/** This stack's full name, to read what its last update recorded. */
export function ownStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** A JSON output written by this program, or undefined when it is absent or not what the program writes. */
export function parseJsonOutput<T>(value: unknown, isValid: (v: unknown) => v is T): T | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isValid(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
