import * as assert from "assert";
import { spawn } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import { promotionScript } from "../../lib/vercel-promotion-script";

/**
 * The promotion step's script, run as the step runs it (`sh -c`, `node -e`), against a small in-process stand-in of
 * the Vercel endpoints it calls, to reach what the emulator cannot stage on cue: Vercel refusing the second project
 * after the first one moved. The emulator (scripts/toolchain/emulators/vercel_deploy.go) is the model of Vercel's
 * rules; tests/emulators/promotion.test.ts runs the script against it under the real engine.
 */
const commit = "c".repeat(40);
const token = "tokentokentokentokentoke";

interface Stand {
  url: string;
  calls: string[];
  live: Record<string, string>;
  close(): void;
}

async function stand(refusePromotionOf: string[] = [], neverBuilt: string[] = []): Promise<Stand> {
  const live: Record<string, string> = { prj_site: "dpl_site_old", prj_api: "dpl_api_old" };
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "", "http://x");
    calls.push(`${req.method} ${url.pathname}`);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return reply(403, { error: { code: "forbidden", message: "Not authorized" } });
    let m = /^\/v6\/deployments$/.exec(url.pathname);
    if (m) {
      const project = url.searchParams.get("projectId") ?? "";
      if (neverBuilt.includes(project)) return reply(200, { deployments: [], pagination: { next: null } });
      return reply(200, {
        deployments: [{ uid: `dpl_${project.slice(4)}_new`, readyState: "READY", meta: { githubCommitSha: commit } }],
        pagination: { next: null },
      });
    }
    m = /^\/v9\/projects\/([^/]+)$/.exec(url.pathname);
    if (m) return reply(200, { id: m[1], targets: { production: { id: live[m[1]] } } });
    m = /^\/v(?:10|1)\/projects\/([^/]+)\/(promote|rollback)\/([^/]+)$/.exec(url.pathname);
    if (m) {
      if (m[2] === "promote" && refusePromotionOf.includes(m[1]))
        return reply(409, { error: { code: "conflict", message: "A rolling release is in progress" } });
      live[m[1]] = m[3];
      return reply(201, {});
    }
    return reply(404, { error: { code: "not_found", message: "not modelled" } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, live, close: () => server.close() };
}

function run(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", promotionScript()], { env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const base = (url: string) => ({
  VERCEL_TOKEN: token,
  VERCEL_API_URL: url,
  VERCEL_TEAM_ID: "",
  PROJECTS: JSON.stringify([
    { name: "site", id: "prj_site" },
    { name: "api", id: "prj_api" },
  ]),
  COMMIT: commit,
  MODE: "release",
  WAIT_SECONDS: "5",
  RELEASE_ID: "rel-0123456789abcdef01234567",
  RELEASE_RECORD: "deploy-guardrails-record: released rel-0123456789abcdef01234567",
});

describe("the promotion step's script", function () {
  this.timeout(30_000);

  it("promotes every project to the commit's deployment and records each, then the live commit", async () => {
    const s = await stand();
    try {
      const result = await run(base(s.url));
      assert.strictEqual(result.status, 0, result.stderr);
      assert.deepStrictEqual(s.live, { prj_site: "dpl_site_new", prj_api: "dpl_api_new" });
      assert.strictEqual(
        result.stdout,
        [
          `deploy-guardrails-record: promoted site dpl_site_new ${commit}`,
          `deploy-guardrails-record: promoted api dpl_api_new ${commit}`,
          `deploy-guardrails-record: live ${commit}`,
          "",
        ].join("\n"),
      );
      assert.ok(!result.stdout.includes(token) && !result.stderr.includes(token));
    } finally {
      s.close();
    }
  });

  it("all projects go live together: when Vercel refuses the second, the first is put back and the step fails, saying so", async () => {
    const s = await stand(["prj_api"]);
    try {
      const result = await run(base(s.url));
      assert.strictEqual(result.status, 1);
      assert.deepStrictEqual(s.live, { prj_site: "dpl_site_old", prj_api: "dpl_api_old" });
      assert.ok(s.calls.includes("POST /v1/projects/prj_site/rollback/dpl_site_old"), s.calls.join("\n"));
      assert.match(
        result.stderr,
        /making commit c{40} live failed \(api: Vercel refused to promote dpl_api_new: 409 conflict: A rolling release is in progress\)\. Put back on their previous production deployments: site\./,
      );
      assert.strictEqual(result.stdout, "", "a failed promotion records nothing");
    } finally {
      s.close();
    }
  });

  it("a project added after the commit was pushed (no production deployment at all) is left for the next release; the others go live at once", async () => {
    const s = await stand([], ["prj_api"]);
    delete s.live.prj_api;
    try {
      const started = Date.now();
      const result = await run(base(s.url));
      assert.strictEqual(result.status, 0, result.stderr);
      assert.ok(Date.now() - started < 5000, "it waited for a build that no push will start");
      assert.deepStrictEqual(s.live, { prj_site: "dpl_site_new" });
      assert.match(result.stderr, /api has no production deployment yet \(it was added after commit c{40} was pushed\): it goes live with the next release/);
      assert.strictEqual(
        result.stdout,
        [`deploy-guardrails-record: promoted site dpl_site_new ${commit}`, `deploy-guardrails-record: live ${commit}`, ""].join("\n"),
      );
    } finally {
      s.close();
    }
  });

  it("refuses, calling nothing, when the release record does not hold this release", async () => {
    const s = await stand();
    try {
      const result = await run({ ...base(s.url), RELEASE_RECORD: "deploy-guardrails-record: released rel-ffffffffffffffffffffffff" });
      assert.strictEqual(result.status, 1);
      assert.match(result.stderr, /refusing to promote commit c{40}: supabase-release-record has not recorded rel-0123456789abcdef01234567 as released/);
      assert.deepStrictEqual(s.calls, []);
    } finally {
      s.close();
    }
  });

  it("does nothing for a project already on the commit's deployment, and a rollback needs no release record", async () => {
    const s = await stand();
    s.live.prj_site = "dpl_site_new";
    s.live.prj_api = "dpl_api_new";
    try {
      const result = await run({ ...base(s.url), MODE: "rollback", RELEASE_RECORD: "" });
      assert.strictEqual(result.status, 0, result.stderr);
      assert.ok(!s.calls.some((c) => c.startsWith("POST")), s.calls.join("\n"));
    } finally {
      s.close();
    }
  });
});
