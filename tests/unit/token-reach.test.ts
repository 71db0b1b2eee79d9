import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { TokenReachSettings, decideTokenReach, supabaseReach, vercelReach } from "../../config/token-reach";
import { apiBase, probeTokens } from "../../config/token-reach-http";

const prodRef = "prodrefbbbbbbbbbbbbb";
const testRef = "testrefaaaaaaaaaaaaa";
const none: TokenReachSettings = { check: true, acknowledged: [] };

describe("can a non-prod stack's token reach prod?", () => {
  describe("supabaseReach (GET /v1/projects)", () => {
    const cases: [string, Parameters<typeof supabaseReach>[0], string][] = [
      ["the list holds the prod ref", { status: 200, body: [{ ref: testRef }, { ref: prodRef }] }, "reaches"],
      ["the list holds it as the deprecated id only", { status: 200, body: [{ id: prodRef }] }, "reaches"],
      ["the list holds the test project only", { status: 200, body: [{ ref: testRef, id: testRef }] }, "does-not-reach"],
      ["an empty list", { status: 200, body: [] }, "does-not-reach"],
      ["a 401 (a token the API refuses)", { status: 401, body: { message: "Unauthorized" } }, "unknown"],
      ["not a list", { status: 200, body: { projects: [] } }, "unknown"],
      ["no answer", { error: "the request failed (ENOTFOUND)" }, "unknown"],
    ];
    for (const [what, answer, kind] of cases) it(`${what}: ${kind}`, () => assert.strictEqual(supabaseReach(answer, prodRef).kind, kind));
  });

  describe("vercelReach (GET /v9/projects/<id>)", () => {
    const cases: [string, Parameters<typeof vercelReach>[0], string][] = [
      ["a 200 on the prod project", [{ project: "web", status: 200 }], "reaches"],
      [
        "a 404 and a 200",
        [
          { project: "a", status: 404 },
          { project: "web", status: 200 },
        ],
        "reaches",
      ],
      [
        "404 and 403 only",
        [
          { project: "a", status: 404 },
          { project: "b", status: 403 },
        ],
        "does-not-reach",
      ],
      ["a 500", [{ project: "a", status: 500 }], "unknown"],
      ["no answer", [{ project: "a", error: "no answer within 10 s" }], "unknown"],
    ];
    for (const [what, answers, kind] of cases) it(`${what}: ${kind}`, () => assert.strictEqual(vercelReach(answers).kind, kind));
  });

  describe("decideTokenReach", () => {
    const reaches = { kind: "reaches" as const, what: "the prod Supabase project (prodProjectRef)", evidence: "GET /v1/projects lists it" };
    it("a token that reaches prod is an error naming the key, the evidence, the fix and how to acknowledge", () => {
      const verdict = decideTokenReach([{ key: "supabaseAccessToken", reach: reaches }], none, "test");
      assert.strictEqual(verdict.errors.length, 1);
      assert.match(
        verdict.errors[0],
        /^deploy-guardrails:supabaseAccessToken of stack test can reach the prod Supabase project \(prodProjectRef\): GET \/v1\/projects lists it\. A Supabase personal access token acts for every project its account can see/,
      );
      assert.match(verdict.errors[0], /pulumi config set --stack test --path 'deploy-guardrails:acknowledgedTokenReach\[0\]\.key' supabaseAccessToken/);
    });
    it("an acknowledged case is a warning on every preview, with the team's reason", () => {
      const settings = { check: true, acknowledged: [{ key: "vercelApiToken" as const, reason: "one Vercel project for every tier, so it must" }] };
      const verdict = decideTokenReach(
        [{ key: "vercelApiToken", reach: { kind: "reaches", what: "the Vercel project web", evidence: "200" } }],
        settings,
        "test",
      );
      assert.deepStrictEqual(verdict.errors, []);
      assert.match(
        verdict.warnings[0],
        /vercelApiToken of stack test can reach the Vercel project web: 200\. Acknowledged in deploy-guardrails:acknowledgedTokenReach: "one Vercel project for every tier, so it must"\./,
      );
    });
    it("a check that cannot run is a warning, never silence and never a pass", () => {
      const verdict = decideTokenReach([{ key: "supabaseAccessToken", reach: { kind: "unknown", why: "the request failed (ENOTFOUND)" } }], none, "test");
      assert.deepStrictEqual(verdict.errors, []);
      assert.match(
        verdict.warnings[0],
        /^Could not check whether deploy-guardrails:supabaseAccessToken of stack test can reach prod \(the request failed \(ENOTFOUND\)\)\. Until it is checked, assume it can\./,
      );
    });
    it("a token that does not reach prod says nothing", () => {
      assert.deepStrictEqual(decideTokenReach([{ key: "supabaseAccessToken", reach: { kind: "does-not-reach" } }], none, "test"), { errors: [], warnings: [] });
    });
  });

  describe("the API calls, against a local server", () => {
    const token = "sbp_1111111111111111111111111111111111111111";
    const vercelToken = "testtoken000000000000000";
    let server: http.Server;
    let base: string;
    const requests: { url: string; authorization?: string }[] = [];
    before(async () => {
      server = http.createServer((req, res) => {
        requests.push({ url: req.url ?? "", authorization: req.headers.authorization });
        const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
        if (req.headers.authorization !== `Bearer ${token}` && req.headers.authorization !== `Bearer ${vercelToken}`)
          return send(401, { message: "Unauthorized" });
        if (req.url === "/v1/projects")
          return send(200, [
            { id: testRef, ref: testRef, name: "test" },
            { id: prodRef, ref: prodRef, name: "prod" },
          ]);
        if (req.url === "/v9/projects/prj_prod000?teamId=team_abc") return send(200, { id: "prj_prod000", name: "web" });
        return send(404, { error: { code: "not_found" } });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    it("asks each API with the token in the Authorization header only, and decides from the answers", async () => {
      const env = { DEPLOY_GUARDRAILS_SUPABASE_API_URL: base, DEPLOY_GUARDRAILS_VERCEL_API_URL: base };
      const probes = await probeTokens(
        {
          supabase: { token, prodRef },
          vercel: {
            token: vercelToken,
            teamId: "team_abc",
            projects: [
              { name: "other", id: "prj_other" },
              { name: "web", id: "prj_prod000" },
            ],
          },
        },
        env,
      );
      assert.deepStrictEqual(
        probes.map((p) => [p.key, p.reach.kind]),
        [
          ["supabaseAccessToken", "reaches"],
          ["vercelApiToken", "reaches"],
        ],
      );
      assert.deepStrictEqual(
        requests.map((r) => r.url),
        ["/v1/projects", "/v9/projects/prj_other?teamId=team_abc", "/v9/projects/prj_prod000?teamId=team_abc"],
      );
      for (const r of requests) assert.ok(!r.url.includes(token) && !r.url.includes(vercelToken), "a token in a URL ends up in access logs");
      const verdict = decideTokenReach(probes, none, "test");
      assert.strictEqual(verdict.errors.length, 2);
      for (const text of [...verdict.errors, ...verdict.warnings]) assert.ok(!text.includes(token) && !text.includes(vercelToken), "a message printed a token");
    });

    it("a token the API refuses is a warning that it could not be checked", async () => {
      const probes = await probeTokens(
        { supabase: { token: "sbp_someoneelse00000000000000000000000000", prodRef } },
        { DEPLOY_GUARDRAILS_SUPABASE_API_URL: base },
      );
      assert.deepStrictEqual(probes[0].reach, { kind: "unknown", why: "the Management API answered 401" });
    });

    it("an unreachable API is a warning, quickly", async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      closed.close();
      const probes = await probeTokens({ supabase: { token, prodRef } }, { DEPLOY_GUARDRAILS_SUPABASE_API_URL: `http://127.0.0.1:${port}` });
      assert.deepStrictEqual(probes[0].reach, { kind: "unknown", why: "the request failed (ECONNREFUSED)" });
    });
  });

  describe("apiBase: where a token may be sent", () => {
    const cases: [string, string | undefined, string][] = [
      ["unset", undefined, "https://api.supabase.com"],
      ["the official URL with a slash", "https://api.supabase.com/", "https://api.supabase.com"],
      ["a loopback test server", "http://127.0.0.1:54321", "http://127.0.0.1:54321"],
      ["localhost", "http://localhost:8080", "http://localhost:8080"],
      ["another host", "https://collector.example.com", "refused"],
      ["a loopback look-alike", "http://127.0.0.1.example.com:80", "refused"],
    ];
    for (const [what, value, expected] of cases) {
      it(what, () => {
        const result = apiBase("supabase", { DEPLOY_GUARDRAILS_SUPABASE_API_URL: value });
        if (expected === "refused")
          assert.match("refused" in result ? result.refused : "", /^DEPLOY_GUARDRAILS_SUPABASE_API_URL must be https:\/\/api\.supabase\.com or a loopback URL/);
        else assert.deepStrictEqual(result, { url: expected });
      });
    }
  });
});
