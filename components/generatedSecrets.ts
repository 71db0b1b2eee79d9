import * as pulumi from "@pulumi/pulumi";
import { deriveGeneratedSecret } from "../lib/generated-secrets";

export interface GeneratedSecretsArgs {
  /** Secrets this stack generates, such as a cron or webhook signing secret shared by Vercel and a function. */
  secrets: { name: string; length: number; version: number }[];
  /** The stack's secret seed (config generatedSecretsSeed); required by config whenever secrets are generated. */
  seed?: pulumi.Output<string>;
  stack: string;
}

/**
 * Secrets made per stack, so test and prod never share one and no human ever has to paste it anywhere. They are
 * derived from the stack's seed (lib/generated-secrets.ts), not drawn at apply time, so they are known at preview.
 */
export class GeneratedSecrets extends pulumi.ComponentResource {
  readonly values: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: GeneratedSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:secrets:GeneratedSecrets", name, {}, opts);
    for (const secret of args.secrets) {
      if (!args.seed) throw new Error("generatedSecretsSeed was not loaded: config validation should have required it");
      this.values[secret.name] = pulumi.secret(args.seed.apply((seed) => deriveGeneratedSecret(seed, { stack: args.stack, ...secret })));
    }
    this.registerOutputs({});
  }
}
