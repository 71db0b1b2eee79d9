import * as assert from "assert";
import { releaseGatePassed as policy } from "../policies/release-gate-passed";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const release = "3f1c0ffee5b1a7e0d2c4";
const gate: FakeResource = {
  type: "command:local:Command",
  name: "supabase-release-gate",
  stack: "prod",
  props: { create: "set -eu\n...", environment: { RELEASE_ID: release, TESTED_RELEASE_ID: release }, triggers: [release, release], logging: "none" },
};

describe("release-gate-passed", () => {
  it("passes a gate whose release passed on test", () => assertClean(runResource(policy, gate)));

  it("refuses a release that differs from the tested one", () => {
    assertViolation(
      runResource(policy, mutate(gate, ["props", "environment", "TESTED_RELEASE_ID"], "0000000000")),
      "RELEASE_ID differs from TESTED_RELEASE_ID",
    );
  });

  it("refuses a missing or empty TESTED_RELEASE_ID", () => {
    assertViolation(runResource(policy, mutate(gate, ["props", "environment", "TESTED_RELEASE_ID"], undefined)), "TESTED_RELEASE_ID is missing or empty");
    assertViolation(runResource(policy, mutate(gate, ["props", "environment", "TESTED_RELEASE_ID"], "  ")), "Nothing has passed on test yet");
  });

  it("refuses a missing RELEASE_ID, and a gate without environment", () => {
    assertViolation(runResource(policy, mutate(gate, ["props", "environment", "RELEASE_ID"], "")), "environment.RELEASE_ID is missing or empty");
    assert.strictEqual(runResource(policy, mutate(gate, ["props", "environment"], undefined)).violations.length, 2);
  });

  it("refuses, rather than defers, values unknown at preview", () => {
    const result = runResource(policy, mutate(gate, ["props", "environment", "TESTED_RELEASE_ID"], unknown.string));
    assert.strictEqual(result.deferred, false);
    assertViolation(result, "TESTED_RELEASE_ID is unknown at preview");
    assertViolation(runResource(policy, mutate(gate, ["props", "environment"], unknown.object)), "environment that is unknown at preview");
  });

  it("only judges the gate in prod stacks", () => {
    const failing = mutate(gate, ["props", "environment", "TESTED_RELEASE_ID"], "other");
    assertClean(runResource(policy, { ...failing, stack: "test" }));
    assertClean(runResource(policy, { ...failing, name: "supabase-db-push" }));
    assertClean(runResource(policy, { ...failing, type: "command:remote:Command" }));
    assertViolation(runResource(policy, { ...failing, name: "gate" }, { releaseGateName: "gate" }), "gate: RELEASE_ID differs");
  });
});
