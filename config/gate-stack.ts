import * as pulumi from "@pulumi/pulumi";
import { ConfigIssue, PlainRunError, namespace } from "./errors";

/** `[<organization>/[<project>/]]<stack>`, each part as Pulumi allows it (letters, digits, `-`, `_`, `.`). */
const stackReferenceName = /^(?:[A-Za-z0-9_.-]{1,100}\/){0,2}[A-Za-z0-9_.-]{1,100}$/;

const example = "organization/deploy-guardrails/test";

/**
 * What config can tell about releaseGateStack without asking the backend: the shape of a stack name, and that prod
 * does not gate on itself (it would release whatever it last recorded) or on another prod stack.
 */
export function gateStackIssues(gateStack: string, stack: string, prodStacks: readonly string[]): ConfigIssue[] {
  if (!stackReferenceName.test(gateStack)) {
    return [
      { key: "releaseGateStack", problem: "is not a stack name: [<organization>/[<project>/]]<stack>, each part letters, digits, '-', '_' or '.'", example },
    ];
  }
  const last = gateStack.slice(gateStack.lastIndexOf("/") + 1);
  if (last === stack)
    return [
      { key: "releaseGateStack", problem: `names this stack (${stack}); prod releases only what passed on the test stack, so it must name that one`, example },
    ];
  if (prodStacks.includes(last))
    return [{ key: "releaseGateStack", problem: `names the prod stack ${last}; it must name the test stack whose integration tests gate prod`, example }];
  return [];
}

/**
 * Fails, naming the key and the fix, when the backend cannot read the gate stack. Call it before the StackReference:
 * a StackReference to an unknown stack fails the whole preview with only the engine's `unknown stack "<name>"` on the
 * reference resource (the program never sees a rejection it could explain), while the builtin provider's invoke of the
 * same read returns the error to the program. Checked with the engine on a file backend.
 */
export async function assertGateStackReadable(gateStack: string): Promise<void> {
  try {
    await pulumi.runtime.invoke("pulumi:pulumi:readStackOutputs", { name: gateStack });
  } catch (e) {
    throw new PlainRunError(unreadableGateStackMessage(gateStack, pulumi.getStack(), e instanceof Error ? e.message : String(e)));
  }
}

/**
 * The error for a releaseGateStack the backend cannot read (a typo, a stack not created yet, another backend or
 * organization), so the message names the key and the fix instead of only the engine's "unknown stack". `cause` is
 * the engine's message; it names stacks, never secrets.
 */
export function unreadableGateStackMessage(gateStack: string, prodStack: string, cause: string): string {
  const firstLine =
    cause
      .split("\n")
      .find((line) => line.trim().length > 0)
      ?.trim() ?? "no reason given";
  return (
    `${namespace}:releaseGateStack is "${gateStack}", but that stack could not be read (${firstLine}). It must be the ` +
    "fully qualified name of the test stack, as `pulumi stack ls --all --fully-qualify-stack-names` prints it on the same " +
    "backend (on a file backend: organization/<project>/<stack>), and the test stack must exist (`pulumi stack init test`). " +
    `Fix it with \`pulumi config set --stack ${prodStack} ${namespace}:releaseGateStack <organization>/<project>/test\`.`
  );
}
