import * as fs from "fs";
import { describeProduction } from "../lib/production-summary";
import { argument, fail, stackOutputs } from "./release/cli";

/**
 * `npm run production-summary -- --stack prod --job-status <status> [--summary <file>]`: what production serves after
 * an up-prod run, from the stack's plain outputs (no passphrase). Runs in every up-prod, also after a refusal or a
 * failure, so the job summary always says which commit is live.
 */
function main() {
  const root = argument("project") ?? process.cwd();
  const stack = argument("stack") ?? fail("usage: npm run production-summary -- --stack <stack> --job-status <status> [--summary <file>]");
  const lines = describeProduction(stackOutputs(stack, root), argument("job-status") ?? "");
  console.log(lines.join("\n"));
  const summaryFile = argument("summary");
  if (summaryFile) fs.appendFileSync(summaryFile, `${lines.join("\n")}\n\n`);
}

try {
  main();
} catch (error) {
  fail((error as Error).message);
}
