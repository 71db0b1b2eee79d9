import * as pulumi from "@pulumi/pulumi";

/**
 * Reads which release passed the integration tests on the test stack. The value is needed as plain data,
 * because whether prod creates release steps at all depends on it; so it is awaited here, before any
 * release resource is registered, rather than inside an `apply`.
 */
export async function readTestedRelease(gateStack: string): Promise<string | undefined> {
  const reference = new pulumi.StackReference("release-gate-source", { name: gateStack });
  const details = await reference.getOutputDetails("passedReleaseId");
  const value = details.value ?? details.secretValue;
  return typeof value === "string" ? value : undefined;
}
