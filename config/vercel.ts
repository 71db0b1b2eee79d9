import { z } from "zod";
import { RawConfig } from "./raw";
import { Tier, VercelProjectConfig, VercelTarget } from "./schema";
import { isSensitive } from "./sources";

/** Which Vercel targets a tier may write: prod values reach Production only, test values never do. */
export function allowedTargets(tier: Tier): VercelTarget[] {
  return tier === "prod" ? ["production"] : ["preview", "development"];
}

/**
 * Targets a variable gets when its config names none. Sensitive values skip `development`, because Vercel
 * requires `sensitive: false` there, and a secret must never be stored readable.
 */
export function defaultTargets(tier: Tier, sensitive: boolean): VercelTarget[] {
  if (tier === "prod") return ["production"];
  return sensitive ? ["preview"] : ["preview", "development"];
}

/** Config keys of Vercel's team-wide rules (besides vercelTeamId and vercelProjects). */
export const vercelRuleKeys = ["vercelSensitiveVariablePolicy"];

/**
 * `vercelSensitiveVariablePolicy: true` says the team enforces sensitive variables (Team settings → Security &
 * Privacy → Enforce Sensitive Environment Variables; the API's `sensitiveEnvironmentVariablePolicy: "on"`). Vercel then
 * refuses a new non-sensitive variable that targets preview or production, so every such variable is written
 * sensitive, and the development part of a public value stays readable in a variable of its own (lib/vercel-plan.ts).
 */
export function parseVercelRules(raw: RawConfig): { sensitivePolicy: boolean } {
  const policy = raw.read("vercelSensitiveVariablePolicy", z.enum(["true", "false"]).default("false"), "true");
  return { sensitivePolicy: policy === "true" };
}

export function checkVercel(raw: RawConfig, projects: VercelProjectConfig[], tier: Tier): void {
  const names = new Set<string>();
  for (const [p, project] of projects.entries()) {
    const at = `vercelProjects[${p}]`;
    if (names.has(project.name)) raw.issues.push({ key: `${at}.name`, problem: `"${project.name}" is listed twice`, example: "each Vercel project once" });
    names.add(project.name);
    if (tier !== "prod" && !project.projectId) {
      raw.issues.push({
        key: `${at}.projectId`,
        problem: `is required on the ${tier} tier: the prod stack owns the project shell, this stack only adds variables to it`,
        example: "the id from `pulumi stack output vercelProjectIds --stack prod`, such as prj_abc123",
      });
    }
    if (tier !== "prod" && project.adopt) raw.issues.push({ key: `${at}.adopt`, problem: "only the prod stack adopts a project shell", example: "false" });
    if (project.adopt && !project.projectId)
      raw.issues.push({ key: `${at}.projectId`, problem: "is required to adopt an existing project", example: "prj_abc123" });
    const seen = new Set<string>();
    for (const [v, variable] of project.variables.entries()) {
      const vat = `${at}.variables[${v}]`;
      if (variable.adoptId && !project.projectId) {
        raw.issues.push({
          key: `${at}.projectId`,
          problem: `is required to adopt the variable ${variable.key} made by hand (variables[${v}].adoptId): the import names the project by its id`,
          example: "prj_abc123",
        });
      }
      const sensitive = isSensitive(variable);
      const targets = variable.targets ?? defaultTargets(tier, sensitive);
      const allowed = allowedTargets(tier);
      for (const target of targets) {
        if (!allowed.includes(target)) {
          raw.issues.push({
            key: `${vat}.targets`,
            problem: `(${variable.key}) targets "${target}", but the ${tier} tier may only target ${allowed.map((a) => `"${a}"`).join(" and ")}`,
            example: JSON.stringify(allowed),
          });
        }
      }
      if (sensitive && targets.includes("development")) {
        raw.issues.push({
          key: `${vat}.targets`,
          problem: `(${variable.key}) holds a secret but targets "development"; Vercel stores development values readable (sensitive: false), so secrets go to "preview" only`,
          example: '["preview"]',
        });
      }
      if (variable.gitBranch && (targets.length !== 1 || targets[0] !== "preview")) {
        raw.issues.push({
          key: `${vat}.gitBranch`,
          problem: `(${variable.key}) is branch-specific, and Vercel allows a git branch only on variables that target "preview" alone`,
          example: '"targets": ["preview"]',
        });
      }
      for (const target of targets) {
        const id = `${variable.key}|${target}|${variable.gitBranch ?? ""}`;
        if (seen.has(id))
          raw.issues.push({
            key: `${vat}.key`,
            problem: `${variable.key} is set twice for target "${target}"${variable.gitBranch ? ` on branch ${variable.gitBranch}` : ""}; Vercel rejects duplicates`,
            example: "one entry per key, target and branch",
          });
        seen.add(id);
      }
    }
  }
}
