import * as assert from "assert";
import * as path from "path";
import { buildPolicyConfig, extractProdValues } from "../lib/generate-policy-config";
import { acknowledgeableSettings } from "../lib/github-rulesets";
import { policies } from "../policies";

/**
 * The program (config/github.ts) and the pack (lib/github-rulesets.ts) name the GitHub settings the same way, since a
 * team acknowledges a gap once in each: the pack cannot import the program's config (it is a package of its own).
 */
describe("the GitHub settings' names and the generated policy config", () => {
  it("are the program's acknowledgeable settings, in the same order", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(__dirname, "..", "..", "config", "github")) as {
      acknowledgeableSettings: readonly string[];
      productionEnvironmentSetting: string;
    };
    assert.deepStrictEqual([...acknowledgeableSettings], [...program.acknowledgeableSettings]);
    assert.strictEqual(program.productionEnvironmentSetting, "productionEnvironment");
  });

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
