package main

import (
	"strings"
	"testing"
)

// githubH: an organization "acme" on plan, a public repository acme/app (or private), people and a team.
func githubH(t *testing.T, plan string, private bool) *h {
	x := newH(t, "github")
	x.seed("github", map[string]any{
		"accounts": map[string]any{
			"acme":  map[string]any{"id": 1, "type": "Organization", "plan": plan},
			"solo":  map[string]any{"id": 2, "type": "User", "plan": "free"},
			"alice": map[string]any{"id": 101, "type": "User"}, "bob": map[string]any{"id": 102, "type": "User"},
			"carol": map[string]any{"id": 103, "type": "User"}, "dave": map[string]any{"id": 104, "type": "User"},
			"erin": map[string]any{"id": 105, "type": "User"}, "frank": map[string]any{"id": 106, "type": "User"},
			"grace": map[string]any{"id": 107, "type": "User"}, "agent": map[string]any{"id": 900, "type": "User"},
		},
		"teams": map[string]any{"acme/releasers": map[string]any{"id": 501, "slug": "releasers", "org": "acme"}},
		"repositories": map[string]any{
			"acme/app":  map[string]any{"id": 11, "nodeId": "R_app", "owner": "acme", "name": "app", "private": private, "collaborators": map[string]any{"alice": "admin", "agent": "write"}},
			"solo/site": map[string]any{"id": 12, "nodeId": "R_site", "owner": "solo", "name": "site"},
		},
	})
	x.mustConfigure(plain{"owner": "acme", "token": "ghp_test"})
	return x
}

func env(name string, extra plain) plain {
	in := plain{"repository": "app", "environment": name}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

func reviewers(users ...float64) []any {
	u := []any{}
	for _, id := range users {
		u = append(u, id)
	}
	return []any{plain{"users": u, "teams": []any{}}}
}

var customBranches = plain{"protectedBranches": false, "customBranchPolicies": true}

func TestRuleGithubReviewersAtMostSix(t *testing.T) {
	x := githubH(t, "team", false)
	seven := env("production", plain{"reviewers": reviewers(101, 102, 103, 104, 105, 106, 107)})
	wantContains(t, x.check(ghEnvironmentToken, seven, nil), "No more than 6")
	// Six users plus a team: each list passes its MaxItems, the API counts them together.
	mixed := env("production", plain{"reviewers": []any{plain{"users": []any{101.0, 102.0, 103.0, 104.0, 105.0, 106.0}, "teams": []any{501.0}}}})
	wantEmpty(t, x.check(ghEnvironmentToken, mixed, nil))
	_, _, err := x.create(ghEnvironmentToken, mixed)
	wantErr(t, err, "a maximum of 6 reviewers")
	id, out := x.mustCreate(ghEnvironmentToken, env("production", plain{"reviewers": reviewers(101)}))
	_, err = x.update(ghEnvironmentToken, id, out, mixed)
	wantErr(t, err, "a maximum of 6 reviewers (users and teams combined) can be set for an environment")
	// A reviewer must be someone GitHub knows.
	_, _, err = x.create(ghEnvironmentToken, env("staging", plain{"reviewers": reviewers(999999)}))
	wantErr(t, err, "Could not find a user with id 999999")
}

func TestRuleGithubPreventSelfReviewNeedsReviewer(t *testing.T) {
	x := githubH(t, "team", false)
	_, _, err := x.create(ghEnvironmentToken, env("production", plain{"preventSelfReview": true}))
	wantErr(t, err, "Required reviewers must have at least one reviewer to set prevent_self_review")
	x.mustCreate(ghEnvironmentToken, env("production", plain{"preventSelfReview": true, "reviewers": reviewers(101)}))
}

func TestRuleGithubPolicyNeedsCustomBranchPolicies(t *testing.T) {
	x := githubH(t, "team", false)
	x.mustCreate(ghEnvironmentToken, env("open", nil))
	_, _, err := x.create(ghPolicyToken, plain{"repository": "app", "environment": "open", "branchPattern": "main"})
	wantErr(t, err, "deployment-branch-policies: 404 Not Found")
	x.mustCreate(ghEnvironmentToken, env("production", plain{"deploymentBranchPolicy": customBranches}))
	id, out := x.mustCreate(ghPolicyToken, plain{"repository": "app", "environment": "production", "branchPattern": "main"})
	if id != "app:production:"+itoa(int64(number(out, "policyId", 0))) {
		t.Fatalf("policy id %q", id)
	}
	wantContains(t, x.check(ghPolicyToken, plain{"repository": "app", "environment": "production", "branchPattern": "main", "tagPattern": "v*"}, nil), "one of `branch_pattern,tag_pattern` must be specified")
}

func TestRuleGithubPolicyPatternExists(t *testing.T) {
	x := githubH(t, "team", false)
	x.mustCreate(ghEnvironmentToken, env("production", plain{"deploymentBranchPolicy": customBranches}))
	first, _ := x.mustCreate(ghPolicyToken, plain{"repository": "app", "environment": "production", "branchPattern": "main"})
	// The same pattern again (a policy made by hand, say): "created" as policy 0, nothing new on GitHub.
	id, out := x.mustCreate(ghPolicyToken, plain{"repository": "app", "environment": "production", "branchPattern": "main"})
	if id != "app:production:0" || number(out, "policyId", -1) != 0 {
		t.Fatalf("a second policy of the same pattern got id %q, policyId %v; want app:production:0, 0", id, out["policyId"])
	}
	policies := x.world("github")["repositories"].(map[string]any)["acme/app"].(map[string]any)["environments"].(map[string]any)["production"].(map[string]any)["policies"].(map[string]any)
	if len(policies) != 1 {
		t.Fatalf("GitHub holds %d policies, want the one of %s", len(policies), first)
	}
	// A refresh finds no policy 0: removed from the state, so a refreshed plan creates it again.
	if gotID, _, _ := x.read(ghPolicyToken, id, out, nil); gotID != "" {
		t.Fatalf("policy 0 read back as %q", gotID)
	}
	wantErr(t, x.delete(ghPolicyToken, id, out), "404 Not Found")
}

func TestRuleGithubBranchPolicyExclusive(t *testing.T) {
	x := githubH(t, "team", false)
	for _, bp := range []plain{{"protectedBranches": true, "customBranchPolicies": true}, {"protectedBranches": false, "customBranchPolicies": false}} {
		_, _, err := x.create(ghEnvironmentToken, env("production", plain{"deploymentBranchPolicy": bp}))
		wantErr(t, err, "Only one of protected_branches and custom_branch_policies can be true")
	}
}

func TestRuleGithubPlanRules(t *testing.T) {
	// A private repository: environments need a paid plan, reviewers need Enterprise.
	free := githubH(t, "free", true)
	_, _, err := free.create(ghEnvironmentToken, env("production", plain{"deploymentBranchPolicy": customBranches}))
	wantErr(t, err, "please ensure billing plan include protected branch gate")
	_, _, err = free.create(ghBranchProtToken, plain{"repositoryId": "app", "pattern": "main"})
	wantErr(t, err, "Upgrade to GitHub Pro or make this repository public")
	team := githubH(t, "team", true)
	team.mustCreate(ghEnvironmentToken, env("test", plain{"deploymentBranchPolicy": customBranches}))
	_, _, err = team.create(ghEnvironmentToken, env("production", plain{"reviewers": reviewers(101)}))
	wantErr(t, err, "Please ensure the billing plan supports the required reviewers protection rule")
	enterprise := githubH(t, "enterprise", true)
	enterprise.mustCreate(ghEnvironmentToken, env("production", plain{"reviewers": reviewers(101)}))
}

func protection(extra plain) plain {
	in := plain{"repositoryId": "app", "pattern": "main", "enforceAdmins": true,
		"requiredPullRequestReviews": []any{plain{"requiredApprovingReviewCount": 1.0, "dismissStaleReviews": true}},
		"requiredStatusChecks":       []any{plain{"strict": true, "contexts": []any{"preview"}}}}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

func TestRuleGithubRestrictPushesOrgOnly(t *testing.T) {
	x := githubH(t, "team", false)
	x.mustConfigure(plain{"owner": "solo", "token": "ghp_test"})
	_, _, err := x.create(ghBranchProtToken, plain{"repositoryId": "site", "pattern": "main", "restrictPushes": []any{plain{"pushAllowances": []any{"/solo"}}}})
	wantErr(t, err, "Only organization repositories can have users and team restrictions")
	x.mustCreate(ghBranchProtToken, plain{"repositoryId": "site", "pattern": "main", "restrictPushes": []any{}})
}

func TestRuleGithubPushAllowanceDropped(t *testing.T) {
	x := githubH(t, "team", false)
	in := protection(plain{"restrictPushes": []any{plain{"pushAllowances": []any{"/alice", "/bob", "acme/releasers"}, "blocksCreations": true}}})
	id, out := x.mustCreate(ghBranchProtToken, in)
	_, read, _ := x.read(ghBranchProtToken, id, out, in)
	got := strings_(first(read, "restrictPushes")["pushAllowances"])
	if len(got) != 2 || !inSet(got, "/alice") || !inSet(got, "acme/releasers") {
		t.Fatalf("push allowances kept: %v (bob has no write access)", got)
	}
	if d := x.diff(ghBranchProtToken, read, in); len(d.GetDiffs()) != 1 || d.GetDiffs()[0] != "restrictPushes" {
		t.Fatalf("expected a perpetual restrictPushes diff, got %v", d.GetDiffs())
	}
}

func TestRuleGithubPatternUnique(t *testing.T) {
	x := githubH(t, "team", false)
	x.mustCreate(ghBranchProtToken, protection(nil))
	_, _, err := x.create(ghBranchProtToken, protection(nil))
	wantErr(t, err, "Name already protected: main")
}

func TestRuleGithubBranchProtectionImport(t *testing.T) {
	x := githubH(t, "team", false)
	in := protection(nil)
	id, _ := x.mustCreate(ghBranchProtToken, in)
	got, out, inputs := x.read(ghBranchProtToken, "app:main", nil, nil)
	if got != id || out["repositoryId"] != "R_app" || inputs["repositoryId"] != "R_app" {
		t.Fatalf("import: id %s repositoryId %v", got, out["repositoryId"])
	}
	// The program's repository name against the imported node id: repository_id is ForceNew.
	if d := x.diff(ghBranchProtToken, out, in); len(d.GetReplaces()) != 1 || d.GetReplaces()[0] != "repositoryId" {
		t.Fatalf("expected a replace on repositoryId, got %v", d.GetReplaces())
	}
}

func TestRuleGithubSecretWriteOnly(t *testing.T) {
	x := githubH(t, "team", false)
	x.mustCreate(ghEnvironmentToken, env("production", nil))
	in := plain{"repository": "app", "environment": "production", "secretName": "DB_PASSWORD", "value": "s3cret"}
	now = func() string { return "2026-01-01T00:00:00Z" }
	id, out := x.mustCreate(ghEnvSecretToken, in)
	repo := x.world("github")["repositories"].(map[string]any)["acme/app"].(map[string]any)
	secret := repo["environments"].(map[string]any)["production"].(map[string]any)["secrets"].(map[string]any)["DB_PASSWORD"].(map[string]any)
	if secret["digest"] != digestOf("s3cret") || len(secret) != 3 {
		t.Fatalf("the remote keeps %v", secret)
	}
	// No drift while nobody touches it; a write by hand shows only as GitHub's updated_at, and plans an update.
	_, read, _ := x.read(ghEnvSecretToken, id, out, in)
	if d := x.diff(ghEnvSecretToken, read, in); len(d.GetDiffs()) != 0 {
		t.Fatalf("unexpected diff %v", d.GetDiffs())
	}
	s, _ := openStore()
	wantNoErr(t, update[githubWorld](s, "github", func(w *githubWorld) error {
		sec := w.Repos["acme/app"].Environments["production"].Secrets["DB_PASSWORD"]
		sec.UpdatedAt, sec.Digest = "2026-02-02T00:00:00Z", digestOf("set-by-hand")
		return nil
	}))
	_, read, _ = x.read(ghEnvSecretToken, id, out, in)
	if read["value"] != "s3cret" {
		t.Fatalf("the secret's value was read back: %v", read["value"])
	}
	if d := x.diff(ghEnvSecretToken, read, in); len(d.GetDiffs()) != 1 || d.GetDiffs()[0] != "updatedAt" {
		t.Fatalf("expected an updatedAt diff after a write by hand, got %v", d.GetDiffs())
	}
	// Imported, a secret has no value: the next up writes it again.
	_, imported, _ := x.read(ghEnvSecretToken, id, nil, nil)
	if _, has := imported["value"]; has {
		t.Fatal("an imported secret has a value")
	}
}

func TestRuleGithubSecretNames(t *testing.T) {
	x := githubH(t, "team", false)
	base := plain{"repository": "app", "environment": "production", "value": "x"}
	for name, reason := range map[string]string{"GITHUB_TOKEN_COPY": "must not start with the GITHUB_ prefix", "1ST": "must not start with a number", "A-B": "alphanumeric characters or underscores"} {
		in := clone(base)
		in["secretName"] = name
		wantContains(t, x.check(ghEnvSecretToken, in, nil), reason)
	}
	two := clone(base)
	two["secretName"], two["plaintextValue"] = "OK", "y"
	wantContains(t, x.check(ghEnvSecretToken, two, nil), "only one of")
}

func TestRuleGithubAnonymousWrite(t *testing.T) {
	x := githubH(t, "team", false)
	t.Setenv("GITHUB_TOKEN", "")
	x.mustConfigure(plain{"owner": "acme"})
	_, _, err := x.create(ghEnvironmentToken, env("production", nil))
	wantErr(t, err, "401 Requires authentication")
}

func TestRuleGithubConfigure(t *testing.T) {
	x := githubH(t, "team", false)
	t.Setenv("GITHUB_OWNER", "")
	wantErr(t, x.configure(plain{"token": "ghp_x"}), "owner must be set when authenticating")
	x.mustConfigure(plain{"owner": "acme", "token": "ghp_x"})
	if !x.p.github().isOrganization {
		t.Fatal("acme is an organization")
	}
	x.mustConfigure(plain{"owner": "solo", "token": "ghp_x"})
	if x.p.github().isOrganization {
		t.Fatal("solo is a user: GET /orgs/solo is a 404")
	}
	// The owner lookup needs the remote: without a state folder the provider cannot be configured.
	t.Setenv(stateEnv, "")
	y, _ := newProvider("github", "0")
	wantErr(t, (&h{t: t, p: y}).configure(plain{"owner": "acme"}), stateEnv+" is not set")
}

func TestRuleGithubBridgeDefaults(t *testing.T) {
	x := githubH(t, "team", false)
	resp := checked(t, x, ghBranchProtToken, protection(nil))
	if _, ok := resp["__defaults"]; !ok {
		t.Fatal("no __defaults at the top level")
	}
	if _, ok := first(resp, "requiredPullRequestReviews")["__defaults"]; !ok {
		t.Fatal("no __defaults inside a block")
	}
	v := vercelH(t)
	if _, ok := checked(t, v, vercelProjectToken, plain{"name": "web"})["__defaults"]; ok {
		t.Fatal("the plugin-framework vercel provider adds no __defaults")
	}
}

func TestRuleGithubRulesetConditions(t *testing.T) {
	x := githubH(t, "team", false)
	base := plain{"repository": "app", "name": "main", "enforcement": "active", "rules": plain{"deletion": true}}
	branch := clone(base)
	branch["target"], branch["conditions"] = "branch", plain{}
	wantContains(t, x.check(ghRulesetToken, branch, nil), "ref_name must be set for branch target")
	push := clone(base)
	push["target"], push["conditions"] = "push", plain{"refName": plain{"includes": []any{"~ALL"}, "excludes": []any{}}}
	wantContains(t, x.check(ghRulesetToken, push, nil), "ref_name must not be set for push target")
	ok := clone(base)
	ok["target"], ok["conditions"] = "branch", plain{"refName": plain{"includes": []any{"~DEFAULT_BRANCH"}, "excludes": []any{}}}
	id, _ := x.mustCreate(ghRulesetToken, ok)
	_, _, err := x.create(ghRulesetToken, ok)
	wantErr(t, err, "Name must be unique")
	if got, _, _ := x.read(ghRulesetToken, "app:"+id, nil, nil); got != id {
		t.Fatalf("ruleset import: %q", got)
	}
	x.mustConfigure(plain{"owner": "solo", "token": "ghp_x"})
	user := clone(ok)
	user["repository"], user["enforcement"] = "site", "evaluate"
	_, _, err = x.create(ghRulesetToken, user)
	wantErr(t, err, "evaluate enforcement is only available to organizations")
}

func TestRuleGithubWorkflowPermissions(t *testing.T) {
	x := githubH(t, "team", false)
	id, out := x.mustCreate(ghWorkflowPermsToken, plain{"repository": "app", "canApprovePullRequestReviews": false, "defaultWorkflowPermissions": "read"})
	if id != "app" || out["defaultWorkflowPermissions"] != "read" {
		t.Fatalf("%s %v", id, out)
	}
	s, _ := openStore()
	locked := false
	wantNoErr(t, update[githubWorld](s, "github", func(w *githubWorld) error { w.Accounts["acme"].ActionsCanApprovePullRequests = &locked; return nil }))
	_, err := x.update(ghWorkflowPermsToken, id, out, plain{"repository": "app", "canApprovePullRequestReviews": true})
	wantErr(t, err, "409 Conflict")
	wantContains(t, x.check(ghWorkflowPermsToken, plain{"repository": "app", "defaultWorkflowPermissions": "admin"}, nil), "to be one of [\"read\" \"write\"]")
}

func TestRuleGithubRepositoryFile(t *testing.T) {
	x := githubH(t, "team", false)
	codeowners := plain{"repository": "app", "file": ".github/CODEOWNERS", "content": "* @acme/releasers\n", "branch": "main"}
	id, _ := x.mustCreate(ghFileToken, codeowners)
	if id != "app:.github/CODEOWNERS:main" {
		t.Fatalf("file id %q", id)
	}
	_, _, err := x.create(ghFileToken, codeowners)
	wantErr(t, err, "refusing to overwrite existing file")
	codeowners["overwriteOnCreate"] = true
	x.mustCreate(ghFileToken, codeowners)
	// Once main takes changes only through reviewed pull requests (enforce_admins), a direct commit is refused.
	x.mustCreate(ghBranchProtToken, protection(nil))
	_, _, err = x.create(ghFileToken, codeowners)
	wantErr(t, err, "409 Could not update file: Changes must be made through a pull request.")
	missing := clone(codeowners)
	missing["branch"] = "nope"
	_, _, err = x.create(ghFileToken, missing)
	wantErr(t, err, "404 Branch not found")
}

func TestRuleGithubEnvironmentDeleteTakesItsSecrets(t *testing.T) {
	x := githubH(t, "team", false)
	id, out := x.mustCreate(ghEnvironmentToken, env("production", plain{"deploymentBranchPolicy": customBranches}))
	sid, sout := x.mustCreate(ghEnvSecretToken, plain{"repository": "app", "environment": "production", "secretName": "K", "value": "v"})
	wantNoErr(t, x.delete(ghEnvironmentToken, id, out))
	if got, _, _ := x.read(ghEnvSecretToken, sid, sout, nil); got != "" {
		t.Fatal("a deleted environment's secret is still there")
	}
	if got, _, _ := x.read(ghEnvironmentToken, id, out, nil); got != "" {
		t.Fatal("a deleted environment reads back")
	}
}

func TestRuleGithubEnvironmentReadAndImport(t *testing.T) {
	x := githubH(t, "team", false)
	in := env("production", plain{"preventSelfReview": true, "canAdminsBypass": false, "reviewers": reviewers(101), "deploymentBranchPolicy": customBranches})
	id, out := x.mustCreate(ghEnvironmentToken, in)
	if id != "app:production" {
		t.Fatalf("id %q", id)
	}
	if d := x.diff(ghEnvironmentToken, out, in); len(d.GetDiffs()) != 0 {
		t.Fatalf("a fresh environment diffs: %v", d.GetDiffs())
	}
	// A reviewer added by hand shows on refresh; canAdminsBypass left out means its default, true.
	s, _ := openStore()
	wantNoErr(t, update[githubWorld](s, "github", func(w *githubWorld) error {
		e := w.Repos["acme/app"].Environments["production"]
		e.Reviewers = append(e.Reviewers, ghReviewer{"User", 102})
		return nil
	}))
	_, read, _ := x.read(ghEnvironmentToken, id, out, in)
	if d := x.diff(ghEnvironmentToken, read, in); len(d.GetDiffs()) != 1 || d.GetDiffs()[0] != "reviewers" {
		t.Fatalf("expected a reviewers diff, got %v", d.GetDiffs())
	}
	_, imported, inputs := x.read(ghEnvironmentToken, "app:production", nil, nil)
	if len(strings_(first(imported, "reviewers")["users"])) != 0 && len(numbers(first(imported, "reviewers")["users"])) != 2 {
		t.Fatalf("import reviewers: %v", imported["reviewers"])
	}
	if inputs["environment"] != "production" || inputs["canAdminsBypass"] != false {
		t.Fatalf("import inputs: %v", inputs)
	}
	if d := x.diff(ghEnvironmentToken, read, env("production", plain{"preventSelfReview": true, "reviewers": reviewers(101, 102), "deploymentBranchPolicy": customBranches})); len(d.GetDiffs()) != 1 || d.GetDiffs()[0] != "canAdminsBypass" {
		t.Fatalf("canAdminsBypass left out is its default (true) against false: %v", d.GetDiffs())
	}
}

func TestGithubFunctions(t *testing.T) {
	x := githubH(t, "team", false)
	repo, err := x.invoke("github:index/getRepository:getRepository", plain{"name": "app"})
	wantNoErr(t, err)
	if repo["nodeId"] != "R_app" || repo["fullName"] != "acme/app" {
		t.Fatalf("getRepository: %v", repo)
	}
	user, err := x.invoke("github:index/getUser:getUser", plain{"username": "alice"})
	wantNoErr(t, err)
	if user["id"] != "101" {
		t.Fatalf("getUser: %v", user)
	}
	_, err = x.invoke("github:index/getOrganization:getOrganization", plain{"name": "solo"})
	wantErr(t, err, "404")
	team, err := x.invoke("github:index/getTeam:getTeam", plain{"slug": "releasers"})
	wantNoErr(t, err)
	if team["id"] != "501" {
		t.Fatalf("getTeam: %v", team)
	}
}

func checked(t *testing.T, x *h, tok string, news plain) plain {
	t.Helper()
	resp, err := x.p.Check(t.Context(), checkRequest(t, tok, news))
	wantNoErr(t, err)
	return x.unpack(resp.GetInputs())
}

func TestRuleGithubListEnvironmentPolicies(t *testing.T) {
	x := githubH(t, "team", false)
	x.mustCreate(ghEnvironmentToken, env("production", plain{"deploymentBranchPolicy": customBranches}))
	x.mustCreate(ghEnvironmentToken, env("open", nil))
	x.mustCreate(ghPolicyToken, plain{"repository": "app", "environment": "production", "branchPattern": "main"})
	envs, err := x.invoke("github:index/getRepositoryEnvironments:getRepositoryEnvironments", plain{"repository": "app"})
	wantNoErr(t, err)
	if names := canonical(envs["environments"]); !strings.Contains(names, `"name":"open"`) || !strings.Contains(names, `"name":"production"`) {
		t.Fatalf("getRepositoryEnvironments: %s", names)
	}
	policies, err := x.invoke("github:index/getRepositoryEnvironmentDeploymentPolicies:getRepositoryEnvironmentDeploymentPolicies", plain{"repository": "app", "environment": "production"})
	wantNoErr(t, err)
	if got := canonical(policies["policies"]); got != `[{"pattern":"main","type":"branch"}]` {
		t.Fatalf("policies: %s (the data source gives type and pattern, no id)", got)
	}
	// No custom branch policies, or no environment: 404, which the data source returns as its error.
	_, err = x.invoke("github:index/getRepositoryEnvironmentDeploymentPolicies:getRepositoryEnvironmentDeploymentPolicies", plain{"repository": "app", "environment": "open"})
	wantErr(t, err, "404 Not Found")
	_, err = x.invoke("github:index/getRepositoryEnvironmentDeploymentPolicies:getRepositoryEnvironmentDeploymentPolicies", plain{"repository": "app", "environment": "missing"})
	wantErr(t, err, "404 Not Found")
}

// An update's preview keeps what the state holds for computed outputs and for Optional+Computed inputs left out:
// the file's branch and commit message (keepWhenOmitted) and its sha (computed) are not unknown, nor dropped.
func TestGithubUpdatePreviewKeepsStateValues(t *testing.T) {
	x := githubH(t, "team", false)
	in := plain{"repository": "app", "file": "README.md", "content": "one", "commitMessage": "first"}
	id, out := x.mustCreate(ghFileToken, in)
	got := x.previewUpdate(ghFileToken, id, out, plain{"repository": "app", "file": "README.md", "content": "two"})
	for _, k := range []string{"branch", "commitMessage", "sha"} {
		if got[k] != out[k] {
			t.Fatalf("%s in the update's preview: %v, the state holds %v", k, got[k], out[k])
		}
	}
}
