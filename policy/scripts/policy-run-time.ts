/**
 * cd policy && npx ts-node --transpile-only scripts/policy-run-time.ts test|prod [policy config file]
 *
 * How long one run of every policy over a committed stack takes: the stack as the real program registers it under
 * mocks (the root's tests/unit/harness.ts), judged with the committed policy.config.json, in a fresh process (nothing
 * memoized). The engine runs the same code once per resource during a preview. Prints JSON.
 */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import { runResource, runStack } from "../tests/helpers";

interface Harness {
  stackConfig(stack: string): { values: Record<string, string>; secretKeys: string[] };
  runProgram(stack: string, config: unknown): Promise<{ registered: { type: string; name: string; inputs: Record<string, unknown>; dependsOn: string[] }[] }>;
}

async function main(): Promise<void> {
  const stack = process.argv[2] ?? "test";
  const root = path.join(__dirname, "..", "..");
  const config = JSON.parse(fs.readFileSync(process.argv[3] ?? path.join(root, "policy.config.json"), "utf8")) as Record<string, Record<string, unknown>>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const harness = require(path.join(root, "tests", "unit", "harness.ts")) as Harness;
  const { registered } = await harness.runProgram(stack, harness.stackConfig(stack));
  const resources = registered.map((r) => ({ type: r.type, name: r.name, props: r.inputs, stack, dependsOn: r.dependsOn }));
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let violations = 0;
  for (const policy of policies) {
    const section = config[policy.name] ?? {};
    if ("validateStack" in policy) violations += runStack(policy as StackValidationPolicy, resources, section).violations.length;
    else for (const resource of resources) violations += runResource(policy as ResourceValidationPolicy, resource, section).violations.length;
  }
  const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  const used = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({ stack, resources: resources.length, violations, milliseconds: ms, cpuMilliseconds: Math.round((used.user + used.system) / 1000) }),
  );
}

void main();
