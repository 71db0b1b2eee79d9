import * as assert from "assert";
import { vercelTargetsMatchStack as policy } from "../policies/vercel-targets-match-stack";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const type = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";
const previewVariable: FakeResource = {
  type,
  name: "vercel-dm-internal-NEXT_PUBLIC_APP_ENV-preview",
  stack: "test",
  props: { projectId: "prj_placeholder0000000000000000", key: "NEXT_PUBLIC_APP_ENV", value: "preview", targets: ["preview"], sensitive: false },
};
const productionVariable: FakeResource = {
  type,
  name: "vercel-dm-internal-NEXT_PUBLIC_APP_ENV-production",
  stack: "prod",
  props: { projectId: "prj_x", key: "NEXT_PUBLIC_APP_ENV", value: "production", targets: ["production"], sensitive: false },
};

describe("vercel-targets-match-stack", () => {
  it("passes preview and development variables in the test stack", () => {
    assertClean(runResource(policy, previewVariable));
    assertClean(runResource(policy, mutate(previewVariable, ["props", "targets"], ["preview", "development"])));
  });

  it("passes a production-only variable in the prod stack", () => assertClean(runResource(policy, productionVariable)));

  it("refuses the production target in the test stack", () => {
    assertViolation(
      runResource(policy, mutate(previewVariable, ["props", "targets"], ["production", "preview"])),
      'targets production, but "test" is not the prod stack',
    );
  });

  it("refuses a test-stack variable without targets", () => {
    assertViolation(runResource(policy, mutate(previewVariable, ["props", "targets"], undefined)), "names no targets");
  });

  it("accepts a test-stack variable bound to a custom environment instead of targets", () => {
    const custom = mutate(mutate(previewVariable, ["props", "targets"], undefined), ["props", "customEnvironmentIds"], ["env_staging"]);
    assertClean(runResource(policy, custom));
  });

  it("refuses preview or development targets in the prod stack", () => {
    assertViolation(runResource(policy, mutate(productionVariable, ["props", "targets"], ["production", "preview"])), "also targets preview");
    assertViolation(runResource(policy, mutate(productionVariable, ["props", "targets"], ["development"])), "also targets development");
  });

  it("refuses a prod-stack variable without targets", () => {
    assertViolation(runResource(policy, mutate(productionVariable, ["props", "targets"], [])), "names no targets in the prod stack");
  });

  it("refuses custom environments in the prod stack", () => {
    assertViolation(runResource(policy, mutate(productionVariable, ["props", "customEnvironmentIds"], ["env_1"])), "custom environments");
  });

  it("refuses a git branch in the prod stack", () => {
    assertViolation(runResource(policy, mutate(productionVariable, ["props", "gitBranch"], "dev")), "git branch");
  });

  it("checks each variable of ProjectEnvironmentVariables and of a project's inline environments", () => {
    const bulk: FakeResource = {
      type: "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables",
      name: "bulk",
      stack: "test",
      props: {
        projectId: "prj_x",
        variables: [
          { key: "A", value: "a", targets: ["preview"], sensitive: false },
          { key: "B", value: "b", targets: ["production"], sensitive: false },
        ],
      },
    };
    assertViolation(runResource(policy, bulk), "variables[1]");
    const project: FakeResource = {
      type: "vercel:index/project:Project",
      name: "p",
      stack: "prod",
      props: { name: "p", environments: [{ key: "A", value: "a", targets: ["preview"], sensitive: false }] },
    };
    assertViolation(runResource(policy, project), "environments[0]");
    assertClean(runResource(policy, { type: "vercel:index/project:Project", name: "p", stack: "prod", props: { name: "p" } }));
  });

  it("checks shared variables too", () => {
    const shared: FakeResource = {
      type: "vercel:index/sharedEnvironmentVariable:SharedEnvironmentVariable",
      name: "s",
      stack: "test",
      props: { key: "A", value: "a", targets: ["production"], projectIds: ["prj_x"], sensitive: true },
    };
    assertViolation(runResource(policy, shared), "targets production");
  });

  it("ignores resources that are not Vercel variables", () => {
    assertClean(runResource(policy, { type: "command:local:Command", name: "c", props: { targets: ["production"] } }));
  });

  it("defers targets unknown at preview to `up`", () => {
    assert.deepStrictEqual(runResource(policy, mutate(previewVariable, ["props", "targets"], unknown.array)), { violations: [], deferred: true });
    const bulk: FakeResource = {
      type: "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables",
      name: "bulk",
      props: { projectId: "p", variables: unknown.array },
    };
    assert.deepStrictEqual(runResource(policy, bulk), { violations: [], deferred: true });
  });

  it("does not defer on an unknown project id (a new project in prod)", () => {
    assertClean(runResource(policy, mutate(productionVariable, ["props", "projectId"], unknown.string)));
  });
});
