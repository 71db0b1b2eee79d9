import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { renderEnvLocal } from "../lib/env-local";

const root = path.join(__dirname, "..");
const flag = process.argv.indexOf("--stack");
const stack = flag >= 0 ? process.argv[flag + 1] : "test";
try {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new Error(`No stack file ${path.basename(file)}.`);
  const config = (yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> }).config ?? {};
  const target = path.join(root, ".env.local");
  fs.writeFileSync(target, renderEnvLocal(stack, config), { mode: 0o600 });
  console.log(`wrote ${path.relative(process.cwd(), target) || ".env.local"} from the ${stack} stack (test Supabase project)`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
