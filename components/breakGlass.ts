import * as pulumi from "@pulumi/pulumi";

/**
 * Registered only while the prod stack runs in break-glass (config deploy-guardrails:breakGlass): it creates nothing,
 * but its type and name put the mode into every preview's resource list and let the policy pack report it.
 */
export class BreakGlass extends pulumi.ComponentResource {
  constructor(name: string, args: { reason: string }, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:release:BreakGlass", name, {}, opts);
    void pulumi.log.warn(
      `BREAK-GLASS (${args.reason}): this update of prod runs no migration, function deploy or function secret and skips the release gate; ` +
        "only the project shell, variables and GitHub settings change. Remove deploy-guardrails:breakGlass to release again.",
      this,
    );
    this.registerOutputs({});
  }
}
