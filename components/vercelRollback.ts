import * as pulumi from "@pulumi/pulumi";

/**
 * Registered only while the prod stack rolls production back (config deploy-guardrails:rollbackTo): it creates nothing,
 * but its type and name put the rollback into every preview's resource list and let the policy pack report it.
 */
export class VercelRollback extends pulumi.ComponentResource {
  constructor(name: string, args: { commit: string; reason: string }, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:vercel:VercelRollback", name, {}, opts);
    void pulumi.log.warn(
      `ROLLBACK (${args.reason}): this update of prod re-promotes the production deployment of commit ${args.commit} and runs no migration, function deploy ` +
        "or function secret; the database stays as the last release left it. Remove deploy-guardrails:rollbackTo in the pull request that fixes the app.",
      this,
    );
    this.registerOutputs({});
  }
}
