import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { namespace } from "../../config/errors";
import { parseSettings, plainKeys } from "../../config/parse";
import { builtInSecretKeys } from "../../config/secret-keys";

/**
 * Pulumi.yaml declares every config key with its default (the CLI applies them, and `pulumi config` lists them), and the
 * parser states its own defaults: the two must agree, key by key, or a stack that leaves a key unset behaves
 * differently under the CLI than in any tool that parses the stack file alone.
 */
const root = path.join(__dirname, "..", "..");
const declared = (yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, { type: string; default?: unknown }> }).config;
const shortName = (key: string) => key.slice(namespace.length + 1);
const asConfigString = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The committed test and prod stack files as the CLI hands them over, with or without Pulumi.yaml's defaults. */
function committed(stack: string, withDefaults: boolean): Record<string, string> {
  const values: Record<string, string> = {};
  if (withDefaults) for (const [key, d] of Object.entries(declared)) if (d.default !== undefined) values[key] = asConfigString(d.default);
  const file = yaml.load(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  for (const [key, value] of Object.entries(file.config)) values[key] = asConfigString(value);
  for (const key of builtInSecretKeys) values[`${namespace}:${key}`] = `dummy-${key}-0123456789abcdefghijklmnopqrstuvwxyz`;
  return values;
}
const secretKeys = new Set(builtInSecretKeys.map((k) => `${namespace}:${k}`));

describe("config keys: Pulumi.yaml and the parser agree", () => {
  it("declares every key the program reads, and reads every key it declares", () => {
    const declaredKeys = Object.keys(declared).map(shortName).sort();
    assert.deepStrictEqual(declaredKeys, [...new Set([...plainKeys, ...builtInSecretKeys])].sort());
  });

  for (const stack of ["test", "prod"]) {
    it(`${stack}: every default Pulumi.yaml declares is the parser's own default`, () => {
      const stackFile = committed(stack, false);
      const without = parseSettings(stackFile, stack, secretKeys);
      for (const [key, d] of Object.entries(declared)) {
        if (d.default === undefined || key in stackFile) continue;
        const withDefault = parseSettings({ ...stackFile, [key]: asConfigString(d.default) }, stack, secretKeys);
        assert.deepStrictEqual(withDefault, without, `${shortName(key)}: Pulumi.yaml's default ${JSON.stringify(d.default)} is not the parser's`);
      }
      assert.deepStrictEqual(parseSettings(committed(stack, true), stack, secretKeys), without);
    });
  }
});
