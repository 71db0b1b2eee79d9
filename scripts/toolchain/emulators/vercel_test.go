package main

import (
	"testing"
)

func vercelH(t *testing.T) *h {
	x := newH(t, "vercel")
	x.seed("vercel", map[string]any{
		"gitRepositories": []string{"acme/web"},
		"teams":           map[string]any{"team_strict": map[string]any{"slug": "strict", "sensitiveEnvironmentVariablePolicy": "on"}, "team_open": map[string]any{"slug": "open"}},
	})
	x.mustConfigure(plain{"apiToken": "abcdefabcdefabcdefabcdef"})
	return x
}

func project(x *h, name string, extra plain) string {
	in := plain{"name": name}
	for k, v := range extra {
		in[k] = v
	}
	id, _ := x.mustCreate(vercelProjectToken, in)
	return id
}

func variable(project, key string, sensitive bool, targets ...string) plain {
	t := []any{}
	for _, s := range targets {
		t = append(t, s)
	}
	return plain{"projectId": project, "key": key, "value": "v-" + key, "sensitive": sensitive, "targets": t}
}

func TestRuleVercelEnvConflict(t *testing.T) {
	x := vercelH(t)
	prj := project(x, "web", nil)
	x.mustCreate(vercelVariableToken, variable(prj, "API_URL", false, "preview"))
	// The same key on an overlapping target: what a target change planned as create-then-delete meets.
	_, _, err := x.create(vercelVariableToken, variable(prj, "API_URL", false, "preview", "development"))
	wantErr(t, err, "ENV_CONFLICT - A variable with the name `API_URL` already exists for the target preview on branch undefined")
	// Another target, or the same target on a git branch, is a different variable.
	x.mustCreate(vercelVariableToken, variable(prj, "API_URL", false, "development"))
	branch := variable(prj, "API_URL", false, "preview")
	branch["gitBranch"] = "staging"
	x.mustCreate(vercelVariableToken, branch)
	_, _, err = x.create(vercelVariableToken, branch)
	wantErr(t, err, "already exists for the target preview on branch staging")
}

func TestRuleVercelEnvConflictOnUpdate(t *testing.T) {
	x := vercelH(t)
	prj := project(x, "web", nil)
	x.mustCreate(vercelVariableToken, variable(prj, "API_URL", false, "preview"))
	id, out := x.mustCreate(vercelVariableToken, variable(prj, "API_URL", false, "development"))
	_, err := x.update(vercelVariableToken, id, out, variable(prj, "API_URL", false, "development", "preview"))
	wantErr(t, err, "ENV_CONFLICT")
}

func TestRuleVercelDevelopmentNotSensitive(t *testing.T) {
	x := vercelH(t)
	wantContains(t, x.check(vercelVariableToken, variable("prj_x", "SECRET", true, "preview", "development"), nil),
		"Environment variables targeting `development` must explicitly set `sensitive = false`")
	wantEmpty(t, x.check(vercelVariableToken, variable("prj_x", "PUBLIC", false, "preview", "development"), nil))
}

func TestRuleVercelTeamSensitivePolicy(t *testing.T) {
	x := vercelH(t)
	strict := variable("prj_x", "PUBLIC", false, "preview")
	strict["teamId"] = "team_strict"
	wantContains(t, x.check(vercelVariableToken, strict, nil), "This team has a policy that forces environment variables targeting `preview`, `production`, or custom environments to be sensitive")
	// Development-only variables, teams without the policy, and existing variables are not checked.
	devOnly := variable("prj_x", "PUBLIC", false, "development")
	devOnly["teamId"] = "team_strict"
	wantEmpty(t, x.check(vercelVariableToken, devOnly, nil))
	open := variable("prj_x", "PUBLIC", false, "preview")
	open["teamId"] = "team_open"
	wantEmpty(t, x.check(vercelVariableToken, open, nil))
	wantEmpty(t, x.check(vercelVariableToken, strict, strict))
	sensitive := variable("prj_x", "SECRET", true, "preview")
	sensitive["teamId"] = "team_strict"
	wantEmpty(t, x.check(vercelVariableToken, sensitive, nil))
}

func TestRuleVercelVariableSchema(t *testing.T) {
	x := vercelH(t)
	both := variable("prj_x", "K", false, "preview")
	both["valueWo"] = "x"
	wantContains(t, x.check(vercelVariableToken, both, nil), "Exactly one of these attributes must be configured: [value,value_wo]")
	wantContains(t, x.check(vercelVariableToken, variable("prj_x", "K", false, "staging"), nil), `value must be one of: ["production" "preview" "development"], got: "staging"`)
	none := variable("prj_x", "K", false)
	delete(none, "targets")
	wantContains(t, x.check(vercelVariableToken, none, nil), "At least one attribute out of [custom_environment_ids,target] must be specified")
	noSensitive := variable("prj_x", "K", false, "preview")
	delete(noSensitive, "sensitive")
	wantContains(t, x.check(vercelVariableToken, noSensitive, nil), `The argument "sensitive" is required`)
}

func TestRuleVercelGitBranchPreviewOnly(t *testing.T) {
	x := vercelH(t)
	prj := project(x, "web", nil)
	v := variable(prj, "API_URL", false, "production")
	v["gitBranch"] = "staging"
	_, _, err := x.create(vercelVariableToken, v)
	wantErr(t, err, "`target` must be \"preview\" when specifying a `gitBranch`")
}

func TestRuleVercelVariableNeedsProject(t *testing.T) {
	x := vercelH(t)
	_, _, err := x.create(vercelVariableToken, variable("prj_placeholder0000000000000000", "API_URL", false, "preview"))
	wantErr(t, err, "Could not find project, please make sure both the project_id and team_id match")
}

func TestRuleVercelProjectNameUnique(t *testing.T) {
	x := vercelH(t)
	project(x, "web", nil)
	_, _, err := x.create(vercelProjectToken, plain{"name": "web"})
	wantErr(t, err, `conflict - Project "web" already exists.`)
	// Unique per team or account: another team may use the name.
	x.mustCreate(vercelProjectToken, plain{"name": "web", "teamId": "team_open"})
}

func TestRuleVercelProjectNameFormat(t *testing.T) {
	x := vercelH(t)
	wantContains(t, x.check(vercelProjectToken, plain{"name": "Web_App"}, nil), "can only contain up to 100 alphanumeric lowercase characters and hyphens")
	wantContains(t, x.check(vercelProjectToken, plain{"name": "a-name-that-is-longer-than-fifty-two-characters-in-all"}, nil), "string length must be between 1 and 52")
	wantEmpty(t, x.check(vercelProjectToken, plain{"name": "dm-internal"}, nil))
}

func TestRuleVercelFrameworkList(t *testing.T) {
	x := vercelH(t)
	wantEmpty(t, x.check(vercelProjectToken, plain{"name": "web", "framework": "nextjs"}, nil))
	wantEmpty(t, x.check(vercelProjectToken, plain{"name": "web", "framework": "vite"}, nil))
	wantContains(t, x.check(vercelProjectToken, plain{"name": "web", "framework": "other"}, nil), "The framework other is not supported on Vercel")
}

func TestRuleVercelGitRepositoryNeedsApp(t *testing.T) {
	x := vercelH(t)
	project(x, "web", plain{"gitRepository": plain{"type": "github", "repo": "acme/web"}})
	_, _, err := x.create(vercelProjectToken, plain{"name": "other", "gitRepository": plain{"type": "github", "repo": "acme/elsewhere"}})
	wantErr(t, err, "repo_not_found")
}

func TestRuleVercelTokenShape(t *testing.T) {
	x := newH(t, "vercel")
	wantErr(t, x.configure(plain{"apiToken": "short"}), "api_token (VERCEL_API_TOKEN) must be 24 characters")
	t.Setenv("VERCEL_API_TOKEN", "")
	wantErr(t, x.configure(plain{}), "api_token cannot be an empty string")
	wantErr(t, x.configure(plain{"apiToken": "abcdefabcdefabcdefabcdef", "team": "nobody"}), "Vercel Team not found")
}

func TestRuleVercelSensitiveValueWriteOnly(t *testing.T) {
	x := vercelH(t)
	prj := project(x, "web", nil)
	secret := variable(prj, "SECRET", true, "production")
	sid, sout := x.mustCreate(vercelVariableToken, secret)
	public := variable(prj, "PUBLIC", false, "production")
	pid, pout := x.mustCreate(vercelVariableToken, public)
	// The remote keeps a digest of a sensitive value, never the value.
	env := x.world("vercel")["env"].(map[string]any)
	if _, has := env[sid].(map[string]any)["value"]; has {
		t.Fatal("a sensitive value was stored in the remote")
	}
	// Changed by hand: a refresh sees the encrypted value change, not the sensitive one.
	editVercelEnv(t, x, sid, "changed-by-hand")
	editVercelEnv(t, x, pid, "changed-by-hand")
	_, sread, _ := x.read(vercelVariableToken, sid, sout, secret)
	_, pread, _ := x.read(vercelVariableToken, pid, pout, public)
	if sread["value"] != "v-SECRET" {
		t.Fatalf("a sensitive value was read back: %v", sread["value"])
	}
	if pread["value"] != "changed-by-hand" {
		t.Fatalf("an encrypted value was not read back: %v", pread["value"])
	}
	if d := x.diff(vercelVariableToken, pread, public); len(d.GetDiffs()) != 1 || d.GetDiffs()[0] != "value" {
		t.Fatalf("expected a value diff after the hand-made change, got %v", d.GetDiffs())
	}
}

func editVercelEnv(t *testing.T, x *h, id, value string) {
	t.Helper()
	s, _ := openStore()
	err := update[vercelWorld](s, "vercel", func(w *vercelWorld) error {
		env := w.Env[id]
		env.Digest = digestOf(value)
		if env.Type != "sensitive" {
			env.Value = &value
		}
		return nil
	})
	wantNoErr(t, err)
}

func TestRuleVercelImport(t *testing.T) {
	x := vercelH(t)
	prj := project(x, "web", nil)
	sid, _ := x.mustCreate(vercelVariableToken, variable(prj, "SECRET", true, "production"))
	pid, _ := x.mustCreate(vercelVariableToken, variable(prj, "PUBLIC", false, "production"))
	_, sout, sin := x.read(vercelVariableToken, prj+"/"+sid, nil, nil)
	if _, has := sout["value"]; has {
		t.Fatalf("a sensitive value imported as %v, want null", sout["value"])
	}
	if sin["key"] != "SECRET" || sin["sensitive"] != true {
		t.Fatalf("import inputs: %v", sin)
	}
	_, pout, _ := x.read(vercelVariableToken, prj+"/"+pid, nil, nil)
	if pout["value"] != "v-PUBLIC" {
		t.Fatalf("an encrypted value did not import: %v", pout["value"])
	}
	if err := x.readErr(vercelVariableToken, pid, nil); err == nil {
		t.Fatal("an import id without the project was accepted")
	}
	// A project imports by "prj_x" or "team/prj_x".
	id, out, _ := x.read(vercelProjectToken, prj, nil, nil)
	if id != prj || out["name"] != "web" {
		t.Fatalf("project import: %v %v", id, out)
	}
}

func TestRuleVercelVariableDiff(t *testing.T) {
	x := vercelH(t)
	old := variable("prj_a", "K", false, "preview", "development")
	change := func(k string, v any) plain {
		n := clone(old)
		n[k] = v
		return n
	}
	for _, tc := range []struct {
		key     string
		value   any
		replace bool
	}{
		{"key", "OTHER", true}, {"sensitive", true, true}, {"projectId", "prj_b", true},
		{"value", "new", false}, {"targets", []any{"preview"}, false}, {"gitBranch", "dev", false}, {"comment", "why", false},
	} {
		d := x.diff(vercelVariableToken, old, change(tc.key, tc.value))
		if len(d.GetDiffs()) != 1 || (len(d.GetReplaces()) == 1) != tc.replace {
			t.Errorf("%s: diffs %v replaces %v, want replace=%v", tc.key, d.GetDiffs(), d.GetReplaces(), tc.replace)
		}
	}
	// Targets are a set: order is no change.
	if d := x.diff(vercelVariableToken, old, change("targets", []any{"development", "preview"})); len(d.GetDiffs()) != 0 {
		t.Errorf("reordered targets: %v", d.GetDiffs())
	}
}

func TestRuleVercelProjectDeleteRemovesVariables(t *testing.T) {
	x := vercelH(t)
	prj := project(x, "web", nil)
	id, out := x.mustCreate(vercelVariableToken, variable(prj, "K", false, "preview"))
	wantNoErr(t, x.delete(vercelProjectToken, prj, plain{"id": prj}))
	if got, _, _ := x.read(vercelVariableToken, id, out, nil); got != "" {
		t.Fatal("a deleted project's variable still exists")
	}
}

func TestVercelPreviewUnknownsAndSecrets(t *testing.T) {
	x := vercelH(t)
	id, props := x.preview(vercelVariableToken, variable("prj_x", "K", true, "production"))
	if id != "" {
		t.Fatalf("a preview got an id: %s", id)
	}
	if !unknownKeys(t, props)["id"] || !secretKeys(t, props)["value"] {
		t.Fatalf("preview outputs: unknown %v secret %v", unknownKeys(t, props), secretKeys(t, props))
	}
}

// A preview of variables costs no remote I/O: Check, the preview Create and Diff never open the state folder (here
// it is not even set), so the file-backed remote does not slow previews down.
func TestVercelPreviewTouchesNoState(t *testing.T) {
	t.Setenv(stateEnv, "")
	p, _ := newProvider("vercel", "0")
	x := &h{t: t, p: p}
	x.mustConfigure(plain{"apiToken": "abcdefabcdefabcdefabcdef"})
	in := variable("prj_x", "PUBLIC", false, "preview", "development")
	wantEmpty(t, x.check(vercelVariableToken, in, nil))
	x.preview(vercelVariableToken, in)
	x.diff(vercelVariableToken, in, in)
	if p.st != nil {
		t.Fatal("a preview opened the remote")
	}
}
