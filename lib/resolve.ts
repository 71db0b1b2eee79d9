import type * as pulumi from "@pulumi/pulumi";
import { SourceContext, SourceFields, setFields, valueSources } from "../config/sources";

export type ValueContext = SourceContext<pulumi.Output<string>>;

/** Turns a value source from config into the value a resource receives (its row in config/sources.ts); secrets stay secret Outputs. */
export function resolveSource(source: SourceFields, ctx: ValueContext): pulumi.Input<string> {
  const field = setFields(source)[0];
  if (field === undefined) throw new Error("a value source without a value: config validation should have caught this");
  return (valueSources[field].resolve as (v: unknown, ctx: ValueContext) => pulumi.Input<string>)(source[field], ctx);
}
