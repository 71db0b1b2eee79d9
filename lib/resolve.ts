import type * as pulumi from "@pulumi/pulumi";
import { SourceFields } from "../config/sources";

export interface ValueContext {
  secrets: Record<string, pulumi.Output<string>>;
  generated: Record<string, pulumi.Output<string>>;
  supabase: { url: string; anonKey?: string; projectRef?: string };
}

/** Turns a value source from config into the value a resource receives; secrets stay secret Outputs. */
export function resolveSource(source: SourceFields, ctx: ValueContext): pulumi.Input<string> {
  if (source.value !== undefined) return source.value;
  if (source.secret !== undefined) return required(ctx.secrets, source.secret, "secret config key");
  if (source.generated !== undefined) return required(ctx.generated, source.generated, "generated secret");
  switch (source.supabase) {
    case "url":
      return ctx.supabase.url;
    case "projectRef":
      return ctx.supabase.projectRef ?? "";
    case "anonKey":
      return ctx.supabase.anonKey ?? "";
    case "serviceRoleKey":
      return required(ctx.secrets, "supabaseServiceRoleKey", "secret config key");
    default:
      throw new Error("a value source without a value: config validation should have caught this");
  }
}

function required(values: Record<string, pulumi.Output<string>>, key: string, what: string): pulumi.Output<string> {
  const value = values[key];
  if (!value) throw new Error(`${what} "${key}" was not loaded: config validation should have caught this`);
  return value;
}
