import { engineWorkspace, policyConfig, policyPack } from "./engine/workspace";

/**
 * The main job on its embedded default: the plan of both stacks, from the committed stack files, with dummy
 * credentials and a throwaway local file backend, checked by the policy pack. No cloud account is needed and
 * nothing outside this machine is called.
 */
async function main() {
  const workspace = await engineWorkspace();
  let failed = false;
  for (const name of ["test", "prod"]) {
    // A preview writes no state, so the engine's per-step checkpoints only cost time (quadratic in resources).
    const stack = await workspace.stack(name, {}, { PULUMI_SKIP_CHECKPOINTS: "true" });
    console.log(`\n=== pulumi preview --stack ${name} --policy-pack policy ===`);
    try {
      const result = await stack.preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], diff: false, color: "never", onOutput: (s) => process.stdout.write(s) });
      console.log(`stack ${name}: ${JSON.stringify(result.changeSummary)}`);
    } catch (error) {
      failed = true;
      console.error(`stack ${name}: preview failed\n${(error as Error).message}`);
    }
  }
  console.log(`\nState and the stack copies are in ${workspace.dir} (throwaway).`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
