import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { guardSecretLogs, installDebugRedaction, pulumiCliArgs, redactSdkDebug, secretLeakingLogSettings } from "../../config/secret-logs";
import { configEnvironmentSize, configSizeWarningText } from "../../config/size";

const sig = "4dabf18193072939515e22adb298388d";

describe("no secret in any log level", () => {
  describe("redactSdkDebug", () => {
    const secret = "Zx81GeneratedCronSecretValue000000000000000000000";
    const cases: [string, string, string][] = [
      [
        "drops the response of a RegisterResource line (it holds every output, secrets included)",
        `RegisterResource RPC finished: resource:secret-cronSecret[random:index/randomPassword:RandomPassword]; err: null, resp: urn:pulumi:test::p::random:index/randomPassword:RandomPassword::secret-cronSecret,id,result,,,,,${sig},,,1b47061264138c4ac30d75fd1eb44270,value,,,${secret}`,
        "RegisterResource RPC finished: resource:secret-cronSecret[random:index/randomPassword:RandomPassword]; err: null, resp: (not logged by deploy-guardrails: RPC responses carry secret values)",
      ],
      [
        "and of ReadResource, Invoke and Call lines",
        `Invoke RPC finished: tok=pulumi:pulumi:getResource; err: null, resp: ${secret}`,
        "Invoke RPC finished: tok=pulumi:pulumi:getResource; err: null, resp: (not logged by deploy-guardrails: RPC responses carry secret values)",
      ],
      [
        "drops any line that still carries the secret signature",
        `Serialize property [x]: {"${sig}":"1b47061264138c4ac30d75fd1eb44270","value":"${secret}"}`,
        "(a debug message of the Pulumi SDK that carried a secret value was not logged by deploy-guardrails)",
      ],
      [
        "keeps every other debug line as it is",
        "Registering resource: t=random:index/randomPassword:RandomPassword, name=secret-cronSecret",
        "Registering resource: t=random:index/randomPassword:RandomPassword, name=secret-cronSecret",
      ],
    ];
    for (const [what, input, expected] of cases) {
      it(what, () => {
        assert.strictEqual(redactSdkDebug(input), expected);
        assert.ok(!redactSdkDebug(input).includes(secret));
      });
    }
  });

  it("routes pulumi.log.debug, which the SDK's runtime calls through the same module object, through the redaction, once", async () => {
    const log = pulumi.log as unknown as Record<string, unknown>;
    const before = log.debug;
    const seen: string[] = [];
    try {
      log.debug = (message: string) => (seen.push(message), Promise.resolve());
      installDebugRedaction();
      installDebugRedaction();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      assert.strictEqual((require("@pulumi/pulumi/log") as Record<string, unknown>).debug, log.debug, "the SDK's runtime would bypass the redaction");
      await (log.debug as (m: string) => Promise<void>)(`RegisterResource RPC finished: x; err: null, resp: secret-${sig}`);
      assert.deepStrictEqual(
        seen,
        ["RegisterResource RPC finished: x; err: null, resp: (not logged by deploy-guardrails: RPC responses carry secret values)"],
        "wrapped once, redacted",
      );
    } finally {
      log.debug = before;
    }
  });

  describe("secretLeakingLogSettings: what the program cannot redact, refused with the flag and the fix", () => {
    const cases: [string, string[], Record<string, string>, RegExp[]][] = [
      ["a plain run", ["up", "--yes", "--stack", "test"], {}, []],
      ["--debug (the program's own lines are redacted)", ["up", "--debug"], {}, []],
      ["-v=9 --logtostderr (the engine logs no values below 11; the SDK lines are redacted)", ["preview", "-v=9", "--logtostderr"], {}, []],
      ["-v=10", ["preview", "-v", "10"], {}, []],
      ["-v=11", ["preview", "-v=11"], {}, [/^-v=11: at level 11 Pulumi writes known credentials into its logs on purpose\. Use -v=10 or lower\.$/]],
      ["--verbose 11", ["preview", "--verbose", "11"], {}, [/^-v=11:/]],
      [
        "--logflow with -v=9 (providers then log HTTP requests)",
        ["up", "--logflow", "-v=9", "--logtostderr"],
        {},
        [/^--logflow with -v=9: .*Drop --logflow\.$/],
      ],
      ["--logflow without -v", ["up", "--logflow"], {}, []],
      ["PULUMI_DEBUG_GRPC", ["up"], { PULUMI_DEBUG_GRPC: "/tmp/grpc.json" }, [/^PULUMI_DEBUG_GRPC is set: .* Unset it\.$/]],
      ["PULUMI_DEBUG_GRPC empty", ["up"], { PULUMI_DEBUG_GRPC: "" }, []],
      ["TF_LOG=DEBUG", ["up"], { TF_LOG: "DEBUG" }, [/^TF_LOG \(or TF_LOG_PROVIDER\) is set/]],
      ["TF_LOG=off", ["up"], { TF_LOG: "off" }, []],
    ];
    for (const [what, cliArgs, env, expected] of cases) {
      it(what, () => {
        const problems = secretLeakingLogSettings({ cliArgs, env });
        assert.strictEqual(problems.length, expected.length, JSON.stringify(problems));
        expected.forEach((pattern, i) => assert.match(problems[i], pattern));
      });
    }

    it("without /proc (another OS), only the environment is judged", () => {
      assert.deepStrictEqual(secretLeakingLogSettings({ cliArgs: undefined, env: {} }), []);
    });

    it("refuses before anything runs, saying why", () => {
      assert.throws(() => guardSecretLogs({ cliArgs: ["up", "-v=11"], env: {} }), /^Error: Refusing to run: this run's logging would print secret values/);
      assert.doesNotThrow(() => guardSecretLogs({ cliArgs: ["up", "--debug"], env: {} }));
    });
  });

  it("finds the pulumi CLI's arguments up the process tree", () => {
    const proc = fs.mkdtempSync(path.join(os.tmpdir(), "proc-"));
    const fake = (pid: number, argv: string[], ppid: number) => {
      fs.mkdirSync(path.join(proc, String(pid)));
      fs.writeFileSync(path.join(proc, String(pid), "cmdline"), argv.join("\0") + "\0");
      fs.writeFileSync(path.join(proc, String(pid), "stat"), `${pid} (${path.basename(argv[0])}) S ${ppid} 1 1 0`);
    };
    fake(300, ["/usr/bin/node", "/x/@pulumi/pulumi/cmd/run/index.js", "--monitor", "127.0.0.1:1"], 200);
    fake(200, ["/cache/bin/pulumi-language-nodejs", "-v=9", "127.0.0.1:2"], 100);
    fake(100, ["/usr/local/bin/pulumi", "up", "--logflow", "-v=9"], 1);
    assert.deepStrictEqual(pulumiCliArgs(proc, 300), ["up", "--logflow", "-v=9"]);
    assert.strictEqual(pulumiCliArgs(proc, 999), undefined, "an unreadable process tree says nothing");
    fs.rmSync(proc, { recursive: true, force: true });
  });
});

describe("the size of the configuration", () => {
  it("is measured as the CLI passes it (one PULUMI_CONFIG environment string)", () => {
    assert.strictEqual(configEnvironmentSize({ a: "b" }), 'PULUMI_CONFIG={"a":"b"}'.length);
  });
  it("warns well before Linux's 128 KiB limit for one environment string, naming the largest keys and no value", () => {
    assert.strictEqual(configSizeWarningText({ "deploy-guardrails:tier": "test" }), undefined);
    const big = "x".repeat(70 * 1024);
    const warning = configSizeWarningText({ "deploy-guardrails:integrationTestCommand": big, "deploy-guardrails:tier": "test" }) ?? "";
    assert.match(
      warning,
      /^The configuration of this stack is 71 KiB\. .*limits to 128 KiB: past that, every preview and up fails with "argument list too long" before anything runs\. Largest keys: deploy-guardrails:integrationTestCommand \(70 KiB\)/,
    );
    assert.ok(!warning.includes("xxxx"));
  });
});
