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
