import { EngineEvent, OpMap, PolicyEvent } from "@pulumi/pulumi/automation";
import { engineWorkspace, policyConfig, policyPack } from "./engine/workspace";

/**
 * The main job on its embedded default: the plan of both stacks, from the committed stack files, with dummy
 * credentials, a throwaway local file backend and an emulated remote, checked by the policy pack. No cloud account
 * is needed and nothing outside this machine is called. Ends with one summary per stack.
 */

// The engine warns once per plugin per stack that a plugin came from $PATH; the workspace said once which are
// emulated, so those lines are noise here.
const ambientPluginWarning = / ?warning: using pulumi-resource-[\w-]+ from \$PATH at \S+( expected \S+)?/g;

/** Streams the engine's output without the ambient-plugin warnings, and without the headers they leave empty. */
class OutputFilter {
  private partial = "";
  /** "Diagnostics:" and the stack's own diagnostics header, printed only once something follows them. */
  private held: string[] = [];

  write = (chunk: string) => {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  };

  flush(): void {
    if (this.partial) this.line(this.partial);
    this.partial = "";
    this.held = [];
  }

  private line(raw: string): void {
    let line = raw.replace(ambientPluginWarning, "");
    // A progress line of the stack that only carried such a warning.
    if (line !== raw && /^[ +~-]*pulumi:pulumi:Stack \S+( create| update)?\s*$/.test(line)) return;
    if (line !== raw && line.trim() === "") return;
    // The stack's warning count counts them too; the Diagnostics section shows any other warning.
    if (/^[ +~-]*pulumi:pulumi:Stack /.test(line)) line = line.replace(/ \d+ warnings?(; )?/, " ").trimEnd();
    if (line === "Diagnostics:" || /^ {2}pulumi:pulumi:Stack \(.*\):$/.test(line)) {
      this.held.push(line);
      return;
    }
    if (this.held.length > 0 && line.trim() !== "") {
      const indent = line.length - line.trimStart().length;
      // Indented 4: content of the stack's block; indented 2: another resource's block under "Diagnostics:";
      // otherwise the next section, and everything held announced nothing.
      const keep = indent >= 4 ? this.held : indent === 2 ? this.held.filter((h) => h === "Diagnostics:") : [];
      for (const h of keep) process.stdout.write(`${h}\n`);
      this.held = [];
    }
    if (this.held.length === 0 || line.trim() !== "") process.stdout.write(`${line}\n`);
  }
}

interface StackSummary {
  name: string;
  failed?: string;
  ops?: OpMap;
  violations: string[];
  advisories: string[];
  /** Policies that could not run on a resource at preview because a value is unknown until `up`. */
  deferred: string[];
}

const isDeferral = (p: PolicyEvent) => /can't run policy .* during preview/.test(p.message);
const resourceName = (urn?: string) => (urn ?? "").split("::").pop() ?? "";

function summarize(name: string, events: EngineEvent[], ops?: OpMap, failed?: string): StackSummary {
  const policy = events.map((e) => e.policyEvent).filter((p): p is PolicyEvent => p !== undefined);
  return {
    name,
    failed,
    ops,
    violations: policy.filter((p) => p.enforcementLevel === "mandatory" && !isDeferral(p)).map((p) => `${p.policyName} on ${resourceName(p.resourceUrn)}`),
    advisories: policy.filter((p) => p.enforcementLevel !== "mandatory" && !isDeferral(p)).map((p) => `${p.policyName} on ${resourceName(p.resourceUrn)}`),
    deferred: policy.filter(isDeferral).map((p) => `${p.policyName} on ${resourceName(p.resourceUrn)}`),
  };
}

function printSummary(s: StackSummary): void {
  const ops = s.ops ?? {};
  const count = (op: keyof OpMap) => ops[op] ?? 0;
  console.log(`stack ${s.name}:`);
  if (s.failed)
    console.log(
      `  preview FAILED: ${
        s.failed
          .split("\n")
          .find((l) => /error:/.test(l))
          ?.trim() ?? "see above"
      }`,
    );
  else
    console.log(
      `  ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete, ${count("same")} unchanged`,
    );
  const verdict =
    s.violations.length > 0
      ? `FAILED: ${s.violations.length} mandatory violation(s): ${[...new Set(s.violations)].join("; ")}`
      : s.failed
        ? "not reached"
        : "passed";
  console.log(`  policy pack: ${verdict}${s.advisories.length ? ` (${s.advisories.length} advisory: ${[...new Set(s.advisories)].join("; ")})` : ""}`);
  if (s.deferred.length === 0) console.log("  not checked at preview: nothing (every value the policies read was known)");
  else console.log(`  not checked at preview (unknown until \`up\`, which checks it before changing the resource): ${[...new Set(s.deferred)].join("; ")}`);
}

async function main() {
  const workspace = await engineWorkspace();
  const summaries: StackSummary[] = [];
  for (const name of ["test", "prod"]) {
    // A preview writes no state, so the engine's per-step checkpoints only cost time (quadratic in resources).
    const stack = await workspace.stack(name, {}, { PULUMI_SKIP_CHECKPOINTS: "true" });
    console.log(`\n=== pulumi preview --stack ${name} --policy-pack policy ===`);
    const events: EngineEvent[] = [];
    const output = new OutputFilter();
    try {
      const result = await stack.preview({
        policyPacks: [policyPack],
        policyPackConfigs: [policyConfig],
        diff: false,
        color: "never",
        onOutput: output.write,
        onEvent: (e) => events.push(e),
      });
      output.flush();
      summaries.push(summarize(name, events, result.changeSummary));
    } catch (error) {
      output.flush();
      summaries.push(summarize(name, events, undefined, (error as Error).message));
    }
  }
  workspace.remote.close();
  console.log("\n=== summary ===");
  for (const s of summaries) printSummary(s);
  console.log(`\nState, the stack copies and the emulated remote are in ${workspace.dir} (throwaway).`);
  process.exit(summaries.some((s) => s.failed || s.violations.length > 0) ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
