import { namespace } from "./errors";

/**
 * The CLI hands the whole stack config, decrypted, to the program and to the policy pack in one environment variable
 * (PULUMI_CONFIG: pulumi/pulumi#8680, #20402), and Linux caps one environment string at 128 KiB (MAX_ARG_STRLEN, 32
 * pages). Above that, every preview and up fails before the program starts, with `fork/exec …node: argument list too
 * long`, which no check of the program can turn into a better message. So the program warns well before the wall.
 */
export const environmentStringLimit = 128 * 1024;
export const configSizeWarning = 64 * 1024;

/** The size of PULUMI_CONFIG as the language host builds it (a JSON map of key to string value), in bytes. */
export function configEnvironmentSize(values: Record<string, string>): number {
  return Buffer.byteLength(`PULUMI_CONFIG=${JSON.stringify(values)}`, "utf8");
}

/** A warning naming the largest keys when the config is past the warning size, else undefined. Never a value. */
export function configSizeWarningText(values: Record<string, string>): string | undefined {
  const size = configEnvironmentSize(values);
  if (size < configSizeWarning) return undefined;
  const largest = Object.entries(values)
    .map(([key, value]) => ({ key, bytes: Buffer.byteLength(value, "utf8") }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((e) => `${e.key} (${Math.ceil(e.bytes / 1024)} KiB)`);
  return (
    `The configuration of this stack is ${Math.ceil(size / 1024)} KiB. The CLI passes all of it to the program and the policy pack in one ` +
    `environment variable, which Linux limits to ${environmentStringLimit / 1024} KiB: past that, every preview and up fails with ` +
    `"argument list too long" before anything runs. Largest keys: ${largest.join(", ")}. Keep large data out of ${namespace} config (e.g. in files of the repository).`
  );
}
