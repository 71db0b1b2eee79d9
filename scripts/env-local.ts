import * as fs from "fs";
import * as path from "path";
import { settingsFromStackFiles } from "../config/stack-file";
import { renderEnvLocal } from "../lib/env-local";

const root = path.join(__dirname, "..");
const flag = process.argv.indexOf("--stack");
const stack = flag >= 0 ? process.argv[flag + 1] : "test";
try {
  // The same parser as the program: a stack whose config it would refuse writes nothing here either.
  const settings = settingsFromStackFiles(root, stack, { secretsMayBeAbsent: true });
  const target = path.join(root, ".env.local");
  fs.writeFileSync(target, renderEnvLocal(settings), { mode: 0o600 });
  console.log(`wrote ${path.relative(process.cwd(), target) || ".env.local"} from the ${stack} stack (test Supabase project)`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
