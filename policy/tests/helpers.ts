import {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  UnknownValueError,
  unknownCheckingProxy,
} from "@pulumi/policy";
import * as assert from "assert";
import { neverPrinted } from "./fixtures";

// The engine's sentinels for values unknown during preview (not in the SDK's typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("@pulumi/policy/proxy") as Record<string, string>;
export const unknown = {
  string: sentinels.unknownStringValue,
  array: sentinels.unknownArrayValue,
  object: sentinels.unknownObjectValue,
  boolean: sentinels.unknownBooleanValue,
};

export interface Result {
  violations: string[];
  /** The policy threw UnknownValueError: the SDK reports "can't run policy during preview" and `up` decides. */
  deferred: boolean;
}

export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::deploy-guardrails::${type}::${name}`;
}

function assertNothingSecretPrinted(messages: string[]): void {
  for (const message of messages) {
    for (const secret of neverPrinted) {
      assert.ok(!message.includes(secret), `a violation message printed a secret value: ${message}`);
    }
  }
}

export interface FakeResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  stack?: string;
}

/** Runs a resource policy the way the SDK's server does: props behind the unknown-checking proxy. */
export function runResource(policy: ResourceValidationPolicy, resource: FakeResource, config: Record<string, unknown> = {}): Result {
  const stack = resource.stack ?? "test";
  const props = unknownCheckingProxy(structuredClone(resource.props));
  const args = {
    type: resource.type,
    props,
    urn: urnOf(stack, resource.type, resource.name),
    name: resource.name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      additionalSecretOutputs: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    },
    stackTags: new Map<string, string>(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T>() => structuredClone(config) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason}`);
    },
  } as unknown as ResourceValidationArgs;
  const violations: string[] = [];
  let deferred = false;
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
  for (const validate of validations) {
    try {
      synchronously(
        policy.name,
        validate(args, (message) => violations.push(message)),
      );
    } catch (e) {
      if (e instanceof UnknownValueError) deferred = true;
      else throw e;
    }
  }
  assertNothingSecretPrinted(violations);
  return { violations, deferred };
}

export interface FakeStackResource extends FakeResource {
  /** Logical names of the resources this one depends on. */
  dependsOn?: string[];
  parent?: string;
}

/** Runs a stack policy over resources given by logical name; dependencies and parents are wired by name. */
export function runStack(policy: StackValidationPolicy, resources: FakeStackResource[], config: Record<string, unknown> = {}): Result {
  const built = new Map<string, PolicyResource>();
  for (const r of resources) {
    built.set(r.name, {
      type: r.type,
      name: r.name,
      urn: urnOf(r.stack ?? "prod", r.type, r.name),
      props: unknownCheckingProxy(structuredClone(r.props)),
      opts: {} as PolicyResource["opts"],
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource);
  }
  for (const r of resources) {
    const resource = built.get(r.name)!;
    resource.dependencies = (r.dependsOn ?? []).map((n) => built.get(n)!);
    if (r.parent) resource.parent = built.get(r.parent);
  }
  const args = {
    resources: [...built.values()],
    stackTags: new Map<string, string>(),
    getConfig: <T>() => structuredClone(config) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason}`);
    },
  } as unknown as StackValidationArgs;
  const violations: string[] = [];
  let deferred = false;
  try {
    synchronously(
      policy.name,
      policy.validateStack(args, (message) => violations.push(message)),
    );
  } catch (e) {
    if (e instanceof UnknownValueError) deferred = true;
    else throw e;
  }
  assertNothingSecretPrinted(violations);
  return { violations, deferred };
}

/** The helpers judge a policy by what it reported when it returned: an async policy would report after the verdict. */
function synchronously(policyName: string, returned: unknown): void {
  assert.ok(!(returned instanceof Promise), `policy ${policyName} returned a promise: make it synchronous, or teach tests/helpers.ts to await it`);
}

export function assertClean(result: Result): void {
  assert.deepStrictEqual(result.violations, []);
  assert.strictEqual(result.deferred, false, "the policy deferred to `up` although every value was known");
}

/** Exactly one violation, containing `fragment`. */
export function assertViolation(result: Result, fragment: string | RegExp): void {
  assert.strictEqual(result.violations.length, 1, `expected one violation, got: ${JSON.stringify(result.violations, null, 1)}`);
  if (typeof fragment === "string") assert.ok(result.violations[0].includes(fragment), `"${result.violations[0]}" lacks "${fragment}"`);
  else assert.match(result.violations[0], fragment);
}

/** A deep copy with `path` (dot/bracket-free segments) set to `value`; `undefined` deletes. */
export function mutate<T extends object>(base: T, path: (string | number)[], value: unknown): T {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as T;
}
