/**
 * What counts as a prod stack, for the program, the policy pack and the fingerprint generator alike. The program
 * knows a stack's tier from its config (`tier`); the policy pack sees only URNs, so it knows prod by stack name.
 */
export const tiers = ["test", "staging", "prod"] as const;
export type Tier = (typeof tiers)[number];

/** The stack names that are prod unless policy config says otherwise (prodStacks). */
export const defaultProdStacks: readonly string[] = ["prod"];

/**
 * The stack name from a URN `urn:pulumi:<stack>::<project>::<type>::<name>`. The URN is what every policy gets,
 * on every backend; stack tags are empty on DIY backends, so they cannot be used.
 */
export function stackFromUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  if (!match) throw new Error(`not a Pulumi URN: ${urn}`);
  return match[1];
}

export function isProdStack(urn: string, prodStacks: readonly string[]): boolean {
  return prodStacks.includes(stackFromUrn(urn));
}
