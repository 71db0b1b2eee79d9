/** What the prod stack does with the release in its working tree, given what passed on test. */
export type ReleaseDecision =
  | { kind: "nothing"; reason: string }
  | { kind: "release"; releaseId: string }
  | { kind: "refuse"; message: string };

export const nothingTested = "nothing";

export function decideRelease(args: { releaseId: string; testedReleaseId: string | undefined; gateStack: string }): ReleaseDecision {
  const tested = args.testedReleaseId?.trim();
  if (!tested || tested === nothingTested) {
    return { kind: "nothing", reason: `no release has passed the integration tests on ${args.gateStack} yet` };
  }
  if (tested === args.releaseId) return { kind: "release", releaseId: tested };
  return { kind: "refuse", message: refusalMessage(args.releaseId, tested, args.gateStack) };
}

export function refusalMessage(releaseId: string, testedReleaseId: string, gateStack: string): string {
  return (
    `Refusing to release ${releaseId} to prod: the release that passed on ${gateStack} is ${testedReleaseId}. ` +
    `Prod only releases what passed on test. Run \`pulumi up --stack test\` on this same commit (it pushes the ` +
    `migrations and functions to test and runs the integration tests), then run \`pulumi up --stack prod\` again.`
  );
}
