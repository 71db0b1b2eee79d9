import { WorkflowRule } from "../rule";
import { Workflow, isApply, isPolicyPack, lines, pulumiSteps } from "../workflow";

/** Every preview and apply runs the policy pack with its config; CI never destroys a stack. */
export function policyPackViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const op of pulumiSteps(job)) {
      const where = `jobs.${id}.steps[${op.index}]`;
      if (op.command === "destroy") {
        out.push(`${where} runs \`pulumi destroy\`; no pipeline destroys a stack`);
        continue;
      }
      if (op.command !== "preview" && !isApply(op.command)) continue;
      if (op.viaAction) {
        const packs = lines(op.step.with?.policyPacks);
        const configs = lines(op.step.with?.policyPackConfigs);
        if (!packs.some(isPolicyPack)) out.push(`${where} runs \`pulumi ${op.command}\` without \`policyPacks: policy\``);
        if (!configs.some((c) => /^(\.\/)?policy\.config\.json$/.test(c)))
          out.push(`${where} runs \`pulumi ${op.command}\` without \`policyPackConfigs: policy.config.json\``);
        if (packs.length !== configs.length) out.push(`${where} lists ${packs.length} policy pack(s) but ${configs.length} config(s); they pair up by order`);
      } else {
        const line = typeof op.step.run === "string" ? op.step.run : "";
        if (!/--policy-pack[=\s]+(\.\/)?policy\b/.test(line)) out.push(`${where} runs \`pulumi ${op.command}\` without \`--policy-pack policy\``);
        if (!/--policy-pack-config[=\s]+(\.\/)?policy\.config\.json\b/.test(line))
          out.push(`${where} runs \`pulumi ${op.command}\` without \`--policy-pack-config policy.config.json\``);
      }
    }
  }
  return out;
}

export const policyPackAlways: WorkflowRule = {
  name: "policy-pack-always",
  description:
    "A `pulumi preview` or `up` runs without the policy pack and its config, or a pipeline destroys a stack. Give every " +
    "Pulumi step `policyPacks: policy` and `policyPackConfigs: policy.config.json`; never destroy from CI.",
  check: policyPackViolations,
};
