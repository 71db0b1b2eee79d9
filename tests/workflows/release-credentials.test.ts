/**
 * Rule release-credentials-only-in-production: the prod passphrase and any GitHub token that can write the
 * repository reach only the reviewer-gated `production` job. Known by environment + secret name
 * (workflow-rules/credentials.ts, documented in docs/pipelines.md).
 */
import * as assert from "assert";
import { Workflow, isGithubWriteTokenName, isPassphraseName, releaseCredentialViolations } from "../../workflow-rules";
import { BadCase, expectCaught, fixture, pulumiStepOf } from "./fixtures";

const release = () => fixture("release.yml");
const stepEnv = (w: Workflow, job: string) => (pulumiStepOf(w.jobs[job]).env ??= {});

const bad: BadCase[] = [
  {
    name: "the prod passphrase in production-readonly (today's preview-prod and drift-prod)",
    build: () => {
      const w = release();
      w.jobs["plan-prod"].steps?.push({ run: "npm run release-plan", env: { PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" } });
      return w;
    },
    expect:
      /jobs\.plan-prod reads PULUMI_CONFIG_PASSPHRASE in `production-readonly`, which has no required reviewers: the prod passphrase decrypts every prod write credential/,
  },
  {
    name: "the passphrase through PULUMI_CONFIG_PASSPHRASE_FILE in production-readonly",
    build: () => {
      const w = release();
      w.jobs["plan-prod"].steps?.push({ run: 'echo "$P" > p', env: { P: "${{ secrets.PULUMI_CONFIG_PASSPHRASE_FILE }}" } });
      return w;
    },
    expect: /reads PULUMI_CONFIG_PASSPHRASE_FILE in `production-readonly`/,
  },
  {
    name: "a renamed passphrase secret (PROD_PASSPHRASE) in production-readonly",
    build: () => {
      const w = release();
      w.jobs["plan-prod"].steps?.push({ run: "true", env: { X: "${{ secrets.PROD_PASSPHRASE }}" } });
      return w;
    },
    expect: /reads PROD_PASSPHRASE in `production-readonly`/,
  },
  {
    name: "a provider token (PROD_VERCEL_TOKEN) in production-readonly",
    build: () => {
      const w = release();
      w.jobs["plan-prod"].steps?.push({ run: "true", env: { VERCEL_TOKEN: "${{ secrets.PROD_VERCEL_TOKEN }}" } });
      return w;
    },
    expect: /jobs\.plan-prod reads PROD_VERCEL_TOKEN in `production-readonly`, which holds only read-only state access and a read-only database role/,
  },
  {
    name: "a Supabase token in production-readonly",
    build: () => {
      const w = release();
      w.jobs["plan-prod"].steps?.push({ run: "true", env: { SUPABASE_ACCESS_TOKEN: "${{ secrets.SUPABASE_ACCESS_TOKEN }}" } });
      return w;
    },
    expect: /reads SUPABASE_ACCESS_TOKEN in `production-readonly`/,
  },
  {
    name: "a passphrase with no environment (a repository secret)",
    build: () => {
      const w = release();
      delete w.jobs["up-test"].environment;
      return w;
    },
    expect: /jobs\.up-test reads PULUMI_CONFIG_PASSPHRASE without an environment/,
  },
  {
    name: "a passphrase in an environment chosen by an expression",
    build: () => {
      const w = release();
      w.jobs["up-test"].environment = "${{ github.ref == 'refs/heads/main' && 'production' || 'test' }}";
      return w;
    },
    expect: /in an environment chosen by an expression, which could resolve to `production`/,
  },
  {
    name: "the admin token in up-test (today's release.yml)",
    build: () => {
      const w = release();
      stepEnv(w, "up-test").GITHUB_TOKEN = "${{ secrets.PULUMI_GITHUB_TOKEN }}";
      return w;
    },
    expect: /jobs\.up-test reads PULUMI_GITHUB_TOKEN in `test`, a GitHub token that can write the repository, without a required reviewer/,
  },
  {
    name: "the admin token in production-readonly",
    build: () => {
      const w = release();
      w.jobs["plan-prod"].steps?.push({ run: "true", env: { GITHUB_TOKEN: "${{ secrets.PULUMI_GITHUB_TOKEN }}" } });
      return w;
    },
    expect: /jobs\.plan-prod reads PULUMI_GITHUB_TOKEN in `production-readonly`/,
  },
  {
    name: "an admin token under another name (GITHUB_ADMIN_PAT) in the PR preview",
    build: () => {
      const w = fixture("preview.yml");
      pulumiStepOf(w.jobs.preview).env = { GITHUB_TOKEN: "${{ secrets.GITHUB_ADMIN_PAT }}" };
      return w;
    },
    expect: /jobs\.preview reads GITHUB_ADMIN_PAT in `test-readonly`/,
  },
  {
    name: "a GitHub-ish token name (GH_PAT) at job level in up-test",
    build: () => {
      const w = release();
      w.jobs["up-test"].env = { GH_TOKEN: "${{ secrets.GH_PAT }}" };
      return w;
    },
    expect: /jobs\.up-test reads GH_PAT/,
  },
  {
    name: "GITHUB_TOKEN for the provider from an unknown secret (DEPLOY_KEY) in up-test",
    build: () => {
      const w = release();
      stepEnv(w, "up-test").GITHUB_TOKEN = "${{ secrets.DEPLOY_KEY }}";
      return w;
    },
    expect: /jobs\.up-test\.steps\[4\] sets GITHUB_TOKEN from secrets\.DEPLOY_KEY without a required reviewer/,
  },
  {
    name: "pulumi/actions' github-token from an unknown secret in the preview",
    build: () => {
      const w = fixture("preview.yml");
      (pulumiStepOf(w.jobs.preview).with ??= {})["github-token"] = "${{ secrets.BOT_TOKEN }}";
      return w;
    },
    expect: /sets github-token from secrets\.BOT_TOKEN/,
  },
];

describe("rule release-credentials-only-in-production", () => {
  it("accepts the fixtures: passphrase and admin token in production, the test passphrase in test, no passphrase in production-readonly", () => {
    assert.deepStrictEqual(releaseCredentialViolations(release()), []);
    assert.deepStrictEqual(releaseCredentialViolations(fixture("preview.yml")), []);
  });

  it("accepts the read-only GitHub token and the job's own token outside production", () => {
    const w = release();
    stepEnv(w, "up-test").GITHUB_TOKEN = "${{ secrets.PULUMI_GITHUB_READ_TOKEN || github.token }}";
    assert.deepStrictEqual(releaseCredentialViolations(w), []);
  });

  for (const c of bad) {
    it(`catches ${c.name}`, () => expectCaught(releaseCredentialViolations(c.build()), c.expect));
  }

  it("knows the credentials by name", () => {
    for (const n of ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "PROD_PASSPHRASE"]) assert.ok(isPassphraseName(n), n);
    for (const n of ["PULUMI_GITHUB_TOKEN", "GITHUB_ADMIN_PAT", "GH_PAT", "GITHUB_APP_KEY", "REPO_ADMIN", "GH_TOKEN"]) assert.ok(isGithubWriteTokenName(n), n);
    for (const n of ["GITHUB_TOKEN", "PULUMI_GITHUB_READ_TOKEN", "PULUMI_ACCESS_TOKEN", "AWS_SECRET_ACCESS_KEY", "DRIFT_DATABASE_PASSWORD"])
      assert.ok(!isGithubWriteTokenName(n), n);
  });
});
