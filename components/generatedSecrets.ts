import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface GeneratedSecretsArgs {
  /** Secrets this stack generates, such as a cron or webhook signing secret shared by Vercel and a function. */
  secrets: { name: string; length: number }[];
}

/** Secrets made per stack, so test and prod never share one and no human ever has to paste it anywhere. */
export class GeneratedSecrets extends pulumi.ComponentResource {
  readonly values: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: GeneratedSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:secrets:GeneratedSecrets", name, {}, opts);
    for (const secret of args.secrets) {
      // Letters and digits only: the value travels through env files, URLs and shell lines unescaped.
      const password = new random.RandomPassword(`${name}-${secret.name}`, { length: secret.length, special: false }, { parent: this });
      this.values[secret.name] = pulumi.secret(password.result);
    }
    this.registerOutputs({});
  }
}
