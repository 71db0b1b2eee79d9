import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../scripts/engine/workspace";

/** docs/emulator-rules.md stays true: every row names tests that exist, and every rule test has its row. */
describe("docs/emulator-rules.md", () => {
  const doc = fs.readFileSync(path.join(repoRoot, "docs", "emulator-rules.md"), "utf8");
  const rows = doc.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| Rule") && !line.startsWith("|---"));
  const goDir = path.join(repoRoot, "scripts", "toolchain", "emulators");
  const goSource = fs
    .readdirSync(goDir)
    .filter((f) => f.endsWith(".go"))
    .map((f) => fs.readFileSync(path.join(goDir, f), "utf8"))
    .join("\n");
  const goTests = new Set([...goSource.matchAll(/^func (Test\w+)\(t \*testing\.T\)/gm)].map((m) => m[1]));
  const titlesIn = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".test.ts"))
      .flatMap((f) => [...fs.readFileSync(path.join(dir, f), "utf8").matchAll(/\bit\("([^"]+)"/g)].map((m) => m[1]));
  const engineTitles = titlesIn(__dirname);
  const scenarioTitles = titlesIn(path.join(repoRoot, "tests", "scenarios"));

  it("has a row for every rule, each naming a source, the code that enforces it and a test", () => {
    assert.ok(rows.length >= 40, `only ${rows.length} rows`);
    for (const row of rows) {
      const cells = row.split(" | ");
      assert.strictEqual(cells.length, 4, `a row needs rule, source, code and test: ${row}`);
      assert.match(cells[3], /`Test\w+`/, `no Go test named in: ${row}`);
    }
  });

  it("names only tests that exist", () => {
    for (const [, name] of doc.matchAll(/`(Test\w+)`/g)) assert.ok(goTests.has(name), `${name} is not a Go test in scripts/toolchain/emulators`);
    for (const [, title] of doc.matchAll(/engine: (?:`tests\/emulators\/[\w.]+` )?"([^"]+?)(?:…)?"/g)) {
      assert.ok(
        engineTitles.some((t) => t.startsWith(title.replace(/…$/, ""))),
        `no engine test titled "${title}"`,
      );
    }
    for (const [, title] of doc.matchAll(/scenario: (?:`tests\/scenarios\/[\w.-]+` )?"([^"]+?)(?:…)?"/g)) {
      assert.ok(
        scenarioTitles.some((t) => t.startsWith(title.replace(/…$/, ""))),
        `no scenario test titled "${title}"`,
      );
    }
  });

  it("lists every rule test of the emulators", () => {
    for (const name of goTests) if (name.startsWith("TestRule")) assert.ok(doc.includes(`\`${name}\``), `${name} has no row in docs/emulator-rules.md`);
  });
});
