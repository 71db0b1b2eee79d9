import * as assert from "assert";
import { buildPolicyConfig, extractProdValues } from "../lib/generate-policy-config";
import { policies } from "../policies";

/**
 * The generated policy config carries what the GitHub policies need from the prod stack (the settings' names are one
 * list, contracts/github-settings.ts, which the program's config and the pack both read).
 */
describe("the GitHub settings' names and the generated policy config", () => {
  it("npm run policy:fingerprints writes prod's sole-authority mode, release branches and acknowledged gaps where policies declare them", () => {
    const object = (objectValue: unknown) => ({ value: JSON.stringify(objectValue), objectValue, secret: false });
    const gaps = [{ setting: "productionReviewers", reason: "GitHub Team: no environment reviewers on private repositories" }];
    const prod = extractProdValues({
      "deploy-guardrails:soleReleaseAuthority": { value: "true", secret: false },
      "deploy-guardrails:releaseBranches": object(["dev", "staging"]),
      "deploy-guardrails:githubAcknowledgedGaps": object(gaps),
    });
    const config = buildPolicyConfig({}, prod, { stack: "prod", cost: { logN: 10, r: 1, p: 1 } }, policies) as Record<string, Record<string, unknown>>;
    assert.deepStrictEqual(config["github-guardrails-declared"].releaseBranches, ["dev", "staging"]);
    assert.deepStrictEqual(config["github-guardrails-declared"].acknowledgedGaps, gaps);
    assert.deepStrictEqual(
      [config["release-branch-rulesets-sound"].soleReleaseAuthority, config["release-branch-rulesets-sound"].releaseBranches],
      [true, ["dev", "staging"]],
    );
    assert.strictEqual(config["production-environment-protected"].soleReleaseAuthority, true);
  });
});
