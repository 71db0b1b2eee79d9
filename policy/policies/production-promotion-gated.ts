import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { commitPattern, promotionStep, promotionWaitsFor, rollbackType } from "../../contracts/promotion";
import { releaseStep } from "../../contracts/release-steps";
import { defaults, schema, withDefaults } from "../lib/config";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";
import { dependsOn } from "./release-commands-gated";

export interface PromotionConfig {
  prodStacks: string[];
  promotionName: string;
  releaseRecordName: string;
  markerCheckName: string;
  rollbackType: string;
}

/** A line of a command that makes a Vercel deployment live: the REST promote or rollback endpoints, or the CLI's equivalents. */
const livePatterns = [/\/projects\/[^\s'"]*\/(promote|rollback)\//, /\bvercel\b.*\b(promote|rollback)\b/, /\bvercel\b.*(--prod\b|--target[= ]production\b)/];
const makesDeploymentLive = (text: string) => text.split("\n").some((line) => livePatterns.some((p) => p.test(line)));

/**
 * In prod, new application code goes live only through the release: a Vercel project connected to the repository must
 * not assign its production domains by itself (Vercel would make every merge live before the database release), and
 * the one command that promotes (vercel-promote) runs after supabase-release-record, for the commit that passed on
 * test, or in a declared rollback.
 */
export const productionPromotionGated: StackValidationPolicy = {
  name: "production-promotion-gated",
  description:
    "In prod, something could make a new deployment live before the prod release: a Vercel project connected to the repository " +
    "assigns its production domains by itself (set autoAssignCustomDomains: false), the promotion (vercel-promote) does not wait " +
    "for supabase-release-record or promotes another commit than the one that passed on test (COMMIT must equal TESTED_COMMIT, known " +
    "at preview, or their trees RELEASE_TREE and TESTED_TREE), or another command calls Vercel's promote or rollback. Let the release promote, as the program declares it.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      promotionName: { type: "string", minLength: 1, default: promotionStep, description: "Logical name of the promotion command." },
      releaseRecordName: { type: "string", minLength: 1, default: promotionWaitsFor, description: "Logical name of the step that records the prod release." },
      markerCheckName: {
        type: "string",
        minLength: 1,
        default: releaseStep.marker,
        description: "Logical name of the marker check: a stack with it releases, so its projects must not go live by themselves.",
      },
      rollbackType: {
        type: "string",
        minLength: 1,
        default: rollbackType,
        description: "Type token of the component the program registers during a rollback.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<PromotionConfig>>(), {
      prodStacks: defaults.prodStacks,
      promotionName: promotionStep,
      releaseRecordName: promotionWaitsFor,
      markerCheckName: releaseStep.marker,
      rollbackType,
    });
    if (args.resources.length === 0 || !isProdStack(args.resources[0].urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    const commands = args.resources.filter((r) => r.type === types.command.local);
    const named = (name: string) => commands.find((c) => c.name === name);
    if (named(config.markerCheckName)) {
      for (const project of args.resources.filter((r) => r.type === types.vercel.project)) {
        const git = unknowns.read(() => project.props.gitRepository, `${project.name}.gitRepository`);
        if (git === UNKNOWN || git === undefined || git === null) continue;
        const autoAssign = unknowns.read(() => project.props.autoAssignCustomDomains, `${project.name}.autoAssignCustomDomains`);
        if (autoAssign !== false) {
          reportViolation(
            `${project.name} is connected to the repository and ${autoAssign === UNKNOWN ? "may assign" : "assigns"} its production domains by itself, so Vercel makes every merge live before the prod release ` +
              "of its database: set autoAssignCustomDomains: false, and let the release promote the commit that passed on test.",
            project.urn,
          );
        }
      }
    }
    const promotion = named(config.promotionName);
    if (promotion)
      checkPromotion(
        promotion,
        config,
        named(config.releaseRecordName),
        args.resources.some((r) => r.type === config.rollbackType),
        unknowns,
        reportViolation,
      );
    for (const other of commands.filter((c) => c.name !== config.promotionName)) {
      for (const field of ["create", "update", "delete"]) {
        const text = unknowns.read(() => other.props[field], `${other.name}.${field}`);
        if (typeof text === "string" && makesDeploymentLive(text)) {
          reportViolation(
            `${other.name} makes a Vercel deployment live (${field} calls promote, rollback or a production deploy): only ${config.promotionName}, after the prod release, may. Remove it.`,
            other.urn,
          );
        }
      }
    }
  },
};

function checkPromotion(
  promotion: PolicyResource,
  config: PromotionConfig,
  record: PolicyResource | undefined,
  rollingBack: boolean,
  unknowns: UnknownReads,
  report: (message: string, urn?: string) => void,
): void {
  const environment = unknowns.read(() => promotion.props.environment as Record<string, unknown> | undefined, "environment");
  const read = (name: string) =>
    environment === UNKNOWN || environment === undefined ? environment : unknowns.read(() => environment[name], `environment.${name}`);
  const mode = read("MODE");
  if (mode === "rollback") {
    if (!rollingBack)
      report(
        `${promotion.name} rolls back, but the stack declares no rollback (${config.rollbackType}): set deploy-guardrails:rollbackTo, so every preview says so.`,
        promotion.urn,
      );
    return;
  }
  if (mode !== "release") {
    report(
      `${promotion.name}: environment.MODE is ${mode === UNKNOWN ? "unknown at preview" : JSON.stringify(mode ?? null)}; it must be "release" (after the prod release) or "rollback", known at preview.`,
      promotion.urn,
    );
    return;
  }
  if (!record)
    report(
      `${promotion.name} promotes, but the stack has no ${config.releaseRecordName}: a promotion runs only as the last step of a prod release.`,
      promotion.urn,
    );
  else if (!dependsOn(promotion, record))
    report(
      `${promotion.name} does not depend on ${config.releaseRecordName}, so the app could go live before the prod release finished. Add dependsOn: [${config.releaseRecordName}].`,
      promotion.urn,
    );
  const commit = read("COMMIT");
  const tested = read("TESTED_COMMIT");
  for (const [name, value] of [
    ["COMMIT", commit],
    ["TESTED_COMMIT", tested],
  ] as const) {
    if (value === UNKNOWN)
      report(`${promotion.name}: environment.${name} is unknown at preview, so prod cannot prove it promotes the commit that passed on test.`, promotion.urn);
    else if (typeof value !== "string" || !commitPattern.test(value))
      report(`${promotion.name}: environment.${name} is not a commit id (40 hex digits).`, promotion.urn);
  }
  // The same code: the same tree when both are declared (a merge of the tested branch is another commit), else the same commit.
  const tree = read("RELEASE_TREE");
  const testedTree = read("TESTED_TREE");
  const trees = typeof tree === "string" && typeof testedTree === "string" && commitPattern.test(tree) && commitPattern.test(testedTree);
  if (trees && tree !== testedTree) {
    report(
      `${promotion.name} promotes a commit whose tree (RELEASE_TREE) is not the tree that passed on test (TESTED_TREE). Run the test release on this code first.`,
      promotion.urn,
    );
  } else if (
    !trees &&
    typeof commit === "string" &&
    typeof tested === "string" &&
    commitPattern.test(commit) &&
    commitPattern.test(tested) &&
    commit !== tested
  ) {
    report(
      `${promotion.name} promotes another commit (COMMIT) than the one that passed on test (TESTED_COMMIT). Run the test release on this commit first.`,
      promotion.urn,
    );
  }
}
