import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { withCleanEnvironment } from "../lib/commands";
import { PromotedState, promotedStateOf } from "../lib/promotion-records";
import { promotionScript } from "../lib/vercel-promotion-script";

export interface VercelPromotionArgs {
  /** What goes live: the released commit (after the release record), or an earlier one (rollback). */
  mode:
    | { kind: "promote"; commit: string; tree: string; testedCommit: string; testedTree: string; releaseId: string; releaseRecord: command.local.Command }
    | { kind: "rollback"; commit: string };
  projects: { name: string; id: pulumi.Input<string> }[];
  teamId?: string;
  apiToken: pulumi.Output<string>;
  /** The Vercel API base URL (config/token-reach-http.ts apiBase: the official one, or loopback in tests). */
  apiUrl: string;
  waitSeconds: number;
  /** What this stack's earlier promotions made live (its own outputs). */
  previous: PromotedState;
}

/**
 * Makes one commit live on Vercel production, for every project of the stack at once, as the last step of a prod
 * release (or alone, in a rollback). The project shells do not assign production domains by themselves, so until
 * this step ran, a merge's production deployment stays staged and the previous one keeps serving.
 */
export class VercelPromotion extends pulumi.ComponentResource {
  /** The commit the production domains serve, the deployment of each project, and every commit promoted, oldest first. */
  readonly state: pulumi.Output<PromotedState>;

  constructor(name: string, args: VercelPromotionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:vercel:VercelPromotion", name, {}, opts);
    const mode = args.mode;
    const environment: Record<string, pulumi.Input<string>> = {
      VERCEL_TOKEN: args.apiToken,
      VERCEL_API_URL: args.apiUrl,
      VERCEL_TEAM_ID: args.teamId ?? "",
      PROJECTS: pulumi.all(args.projects.map((p) => pulumi.output(p.id).apply((id) => ({ name: p.name, id })))).apply((list) => JSON.stringify(list)),
      COMMIT: mode.commit,
      MODE: mode.kind === "promote" ? "release" : "rollback",
      WAIT_SECONDS: String(args.waitSeconds),
      // What passed on test, for the policy pack to compare at preview: the same tree, or (without git) the same commit.
      ...(mode.kind === "promote"
        ? {
            TESTED_COMMIT: mode.testedCommit,
            RELEASE_TREE: mode.tree,
            TESTED_TREE: mode.testedTree,
            RELEASE_ID: mode.releaseId,
            RELEASE_RECORD: mode.releaseRecord.stdout,
          }
        : {}),
    };
    const step = new command.local.Command(
      `${name}-promote`,
      { create: withCleanEnvironment(promotionScript(), Object.keys(environment)), environment, logging: "none", addPreviousOutputInEnv: false },
      { parent: this, dependsOn: mode.kind === "promote" ? [mode.releaseRecord] : [], additionalSecretOutputs: ["stderr"] },
    );
    // Its outputs are secret (the token is an input); the records are commit and deployment ids, checked for their shape.
    this.state = pulumi.unsecret(step.stdout.apply((out) => promotedStateOf(out, args.previous)));
    this.registerOutputs({ state: this.state });
  }
}
