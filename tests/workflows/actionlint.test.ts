/**
 * Lints every workflow with actionlint (built by `npm run toolchain`). A missing actionlint FAILS this test:
 * an unlinted workflow is not a passing one.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { locateActionlint, locateHere, toolchainActionlint } from "./actionlint";

const root = path.resolve(__dirname, "..", "..");
const workflowDir = path.join(root, ".github", "workflows");
const workflowFiles = fs
  .readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => path.join(".github", "workflows", f));
/** The examples' own workflows (examples/<example>/.github/workflows), linted as well. */
const exampleWorkflowFiles = fs.readdirSync(path.join(root, "examples")).flatMap((example) => {
  const dir = path.join("examples", example, ".github", "workflows");
  return fs.existsSync(path.join(root, dir))
    ? fs
        .readdirSync(path.join(root, dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join(dir, f))
    : [];
});

function actionlint(): string {
  const located = locateHere();
  if ("error" in located) assert.fail(located.error);
  return located.path;
}

function run(bin: string, args: string[], cwd: string) {
  const result = spawnSync(bin, ["-no-color", ...args], { cwd, encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("actionlint", () => {
  describe("finding the binary", () => {
    const home = "/home/dev";
    const only =
      (...files: string[]) =>
      (file: string) =>
        files.includes(file);
    const built = "/home/dev/.cache/deploy-guardrails/toolchain/current/bin/actionlint";

    it("takes ACTIONLINT first", () => {
      const located = locateActionlint({ env: { ACTIONLINT: "/tmp/al" }, homedir: home, isExecutable: only("/tmp/al", built) });
      assert.deepStrictEqual(located, { path: "/tmp/al", from: "ACTIONLINT" });
    });

    it("fails on an ACTIONLINT that does not exist, instead of quietly using another", () => {
      const located = locateActionlint({ env: { ACTIONLINT: "/nope" }, homedir: home, isExecutable: only(built) });
      assert.ok("error" in located && /ACTIONLINT=\/nope/.test(located.error) && /npm run toolchain/.test(located.error));
    });

    it("uses the toolchain's build under ~/.cache/deploy-guardrails", () => {
      assert.deepStrictEqual(locateActionlint({ env: {}, homedir: home, isExecutable: only(built) }), { path: built, from: "toolchain" });
    });

    it("honours DEPLOY_GUARDRAILS_CACHE, and treats an empty one as unset", () => {
      assert.strictEqual(toolchainActionlint({ DEPLOY_GUARDRAILS_CACHE: "/cache" }, home), "/cache/toolchain/current/bin/actionlint");
      assert.strictEqual(toolchainActionlint({ DEPLOY_GUARDRAILS_CACHE: "" }, home), built);
    });

    it("falls back to PATH", () => {
      const located = locateActionlint({
        env: { PATH: ["/usr/bin", "/opt/bin"].join(path.delimiter) },
        homedir: home,
        isExecutable: only("/opt/bin/actionlint"),
      });
      assert.deepStrictEqual(located, { path: "/opt/bin/actionlint", from: "PATH" });
    });

    it("says to run `npm run toolchain` when there is none", () => {
      const located = locateActionlint({ env: { PATH: "/usr/bin" }, homedir: home, isExecutable: only() });
      assert.ok("error" in located && /npm run toolchain/.test(located.error), JSON.stringify(located));
    });
  });

  it("finds the workflows to lint", () => {
    for (const name of ["preview.yml", "release.yml", "drift.yml"]) {
      assert.ok(workflowFiles.includes(path.join(".github", "workflows", name)), `missing .github/workflows/${name}`);
    }
  });

  it("passes every workflow, the examples' included", () => {
    assert.ok(exampleWorkflowFiles.length > 0, "found no examples/*/.github/workflows/*.yml");
    const { status, output } = run(actionlint(), [...workflowFiles, ...exampleWorkflowFiles], root);
    assert.strictEqual(status, 0, `actionlint found problems:\n${output}`);
  });

  it("is really linting: a broken workflow fails", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
    try {
      const file = path.join(dir, "broken.yml");
      fs.writeFileSync(
        file,
        [
          "on: push",
          "permissions: {}",
          "jobs:",
          "  a:",
          "    needs: missing",
          "    runs-on: ubuntu-latest",
          "    steps:",
          "      - run: echo ${{ github.evnt_name }}",
          "",
        ].join("\n"),
      );
      const { status, output } = run(actionlint(), [file], dir);
      assert.notStrictEqual(status, 0, "actionlint accepted a workflow with an unknown `needs` and a misspelt context");
      assert.match(output, /missing|evnt_name/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
