package main

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

const (
	vercelToken = "abcdefabcdefabcdefabcdef"
	commitA     = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	commitB     = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// deployWorld: projects web (promoted by the release: no auto-assignment) and api (Vercel's default) on acme/app,
// docs on another repository, and team_acme.
func deployWorld(t *testing.T) (*httptest.Server, store) {
	t.Setenv(stateEnv, t.TempDir())
	s, err := openStore()
	wantNoErr(t, err)
	git := func(repo string) plain { return plain{"type": "github", "repo": repo, "productionBranch": "main"} }
	wantNoErr(t, update[vercelWorld](s, "vercel", func(w *vercelWorld) error {
		w.Teams["team_acme"] = &vercelTeam{Slug: "acme"}
		w.Projects["prj_web"] = &vercelProject{ID: "prj_web", Name: "web", Settings: plain{"gitRepository": git("acme/app"), "autoAssignCustomDomains": false}}
		w.Projects["prj_api"] = &vercelProject{ID: "prj_api", Name: "api", Settings: plain{"gitRepository": git("acme/app")}}
		w.Projects["prj_docs"] = &vercelProject{ID: "prj_docs", Name: "docs", Settings: plain{"gitRepository": git("acme/docs")}}
		w.Projects["prj_team"] = &vercelProject{ID: "prj_team", TeamID: "team_acme", Name: "team-web", Settings: plain{"gitRepository": git("acme/app"), "autoAssignCustomDomains": false}}
		return nil
	}))
	srv := httptest.NewServer(vercelHandler(s))
	t.Cleanup(srv.Close)
	return srv, s
}

func pushTo(t *testing.T, s store, branch, commit, state string) map[string]string {
	t.Helper()
	byProject := map[string]string{}
	wantNoErr(t, update[vercelWorld](s, "vercel", func(w *vercelWorld) error {
		ids, err := w.push("acme/app", branch, commit, state)
		for _, id := range ids {
			byProject[w.Deployments[id].ProjectID] = id
		}
		return err
	}))
	return byProject
}

func vercelWorldOf(t *testing.T, s store) *vercelWorld {
	t.Helper()
	w, err := view[vercelWorld](s, "vercel")
	wantNoErr(t, err)
	return w
}

func productionOf(t *testing.T, srv *httptest.Server, project, query string) (string, map[string]any) {
	t.Helper()
	code, body := call(t, srv, "GET", "/v9/projects/"+project+query, vercelToken, "", nil)
	if code != 200 {
		t.Fatalf("GET project %s: %d %v", project, code, body)
	}
	p := body.(map[string]any)
	production, _ := p["targets"].(map[string]any)["production"].(map[string]any)
	if production == nil {
		return "", p
	}
	return production["id"].(string), p
}

func TestRuleVercelPushBuildsPerProject(t *testing.T) {
	_, s := deployWorld(t)
	built := pushTo(t, s, "main", commitA, "READY")
	if len(built) != 3 || built["prj_docs"] != "" {
		t.Fatalf("a push builds every project connected to the repository, and only those: %v", built)
	}
	w := vercelWorldOf(t, s)
	if d := w.Deployments[built["prj_web"]]; d.Target != "production" || d.CommitSha != commitA || d.Ref != "main" {
		t.Fatalf("a push to the production branch is a production deployment of its commit: %+v", d)
	}
	preview := pushTo(t, s, "feature/x", commitB, "READY")
	if d := vercelWorldOf(t, s).Deployments[preview["prj_web"]]; d.Target != "preview" {
		t.Fatalf("a push to another branch is a preview deployment: %+v", d)
	}
	if _, err := w.push("acme/app", "main", "abc", "READY"); err == nil {
		t.Fatal("a push needs a full commit id")
	}
}

func TestRuleVercelAutoAssignStagesProduction(t *testing.T) {
	srv, s := deployWorld(t)
	built := pushTo(t, s, "main", commitA, "READY")
	if live, _ := productionOf(t, srv, "prj_web", ""); live != "" {
		t.Fatalf("with autoAssignCustomDomains false the production build is staged, but web serves %s", live)
	}
	if live, _ := productionOf(t, srv, "prj_api", ""); live != built["prj_api"] {
		t.Fatalf("a project that auto-assigns serves its new production build at once, got %q", live)
	}
	_, list := call(t, srv, "GET", "/v6/deployments?projectId=prj_web&target=production", vercelToken, "", nil)
	if sub := list.(map[string]any)["deployments"].([]any)[0].(map[string]any)["readySubstate"]; sub != "STAGED" {
		t.Fatalf("a staged deployment reads as STAGED, got %v", sub)
	}
	building := pushTo(t, s, "main", commitB, "BUILDING")
	if live, _ := productionOf(t, srv, "prj_api", ""); live != built["prj_api"] || building["prj_api"] == "" {
		t.Fatalf("a build in progress assigns nothing yet, api serves %s", live)
	}
}

func TestRuleVercelPromote(t *testing.T) {
	srv, s := deployWorld(t)
	a := pushTo(t, s, "main", commitA, "READY")
	if code, _ := call(t, srv, "POST", "/v10/projects/prj_web/promote/"+a["prj_web"], vercelToken, "application/json", []byte("{}")); code != 201 {
		t.Fatalf("promoting a staged production deployment: %d", code)
	}
	live, project := productionOf(t, srv, "prj_web", "")
	job := project["lastAliasRequest"].(map[string]any)
	if live != a["prj_web"] || job["type"] != "promote" || job["jobStatus"] != "succeeded" || job["toDeploymentId"] != a["prj_web"] {
		t.Fatalf("after the promotion web serves %s, lastAliasRequest %v", live, job)
	}
	if code, body := call(t, srv, "POST", "/v10/projects/prj_web/promote/"+a["prj_api"], vercelToken, "", nil); code != 404 {
		t.Fatalf("another project's deployment: %d %v", code, body)
	}
	b := pushTo(t, s, "main", commitB, "BUILDING")
	if code, body := call(t, srv, "POST", "/v10/projects/prj_web/promote/"+b["prj_web"], vercelToken, "", nil); code != 400 || !strings.Contains(body.(map[string]any)["error"].(map[string]any)["message"].(string), "not ready") {
		t.Fatalf("a deployment still building: %d %v", code, body)
	}
	p := pushTo(t, s, "feature/x", commitB, "READY")
	if code, _ := call(t, srv, "POST", "/v10/projects/prj_web/promote/"+p["prj_web"], vercelToken, "", nil); code != 400 {
		t.Fatalf("a preview deployment is not promoted directly (it is rebuilt for production): %d", code)
	}
	if live, _ := productionOf(t, srv, "prj_web", ""); live != a["prj_web"] {
		t.Fatalf("refused promotions change nothing, web serves %s", live)
	}
}

func TestRuleVercelRollbackNeedsServedProduction(t *testing.T) {
	srv, s := deployWorld(t)
	a := pushTo(t, s, "main", commitA, "READY")
	call(t, srv, "POST", "/v10/projects/prj_web/promote/"+a["prj_web"], vercelToken, "", nil)
	b := pushTo(t, s, "main", commitB, "READY")
	if code, _ := call(t, srv, "POST", "/v1/projects/prj_web/rollback/"+b["prj_web"], vercelToken, "", nil); code != 400 {
		t.Fatalf("a staged deployment that never served production is not a rollback target: %d", code)
	}
	call(t, srv, "POST", "/v10/projects/prj_web/promote/"+b["prj_web"], vercelToken, "", nil)
	if code, _ := call(t, srv, "POST", "/v1/projects/prj_web/rollback/"+a["prj_web"], vercelToken, "", nil); code != 201 {
		t.Fatalf("rolling back to the deployment that served before: %d", code)
	}
	live, project := productionOf(t, srv, "prj_web", "")
	if live != a["prj_web"] || project["lastAliasRequest"].(map[string]any)["type"] != "rollback" {
		t.Fatalf("after the rollback web serves %s (%v)", live, project["lastAliasRequest"])
	}
}

func TestRuleVercelListDeployments(t *testing.T) {
	srv, s := deployWorld(t)
	first := pushTo(t, s, "main", commitA, "READY")
	pushTo(t, s, "feature/x", commitB, "READY")
	second := pushTo(t, s, "main", commitB, "ERROR")
	_, body := call(t, srv, "GET", "/v6/deployments?projectId=prj_web&target=production&limit=1", vercelToken, "", nil)
	page := body.(map[string]any)
	list := page["deployments"].([]any)
	newest := list[0].(map[string]any)
	if len(list) != 1 || newest["uid"] != second["prj_web"] || newest["readyState"] != "ERROR" || newest["meta"].(map[string]any)["githubCommitSha"] != commitB {
		t.Fatalf("newest production deployment first, with its state and commit: %v", list)
	}
	next := page["pagination"].(map[string]any)["next"]
	if next == nil {
		t.Fatal("a page that is not the last names the next one")
	}
	_, body = call(t, srv, "GET", "/v6/deployments?projectId=prj_web&target=production&limit=1&until="+strconv.FormatInt(int64(next.(float64)), 10), vercelToken, "", nil)
	rest := body.(map[string]any)["deployments"].([]any)
	if len(rest) != 1 || rest[0].(map[string]any)["uid"] != first["prj_web"] {
		t.Fatalf("until pages to older deployments, and target=production leaves the preview out: %v", rest)
	}
}

func TestRuleVercelRestTokenAndTeam(t *testing.T) {
	srv, s := deployWorld(t)
	pushTo(t, s, "main", commitA, "READY")
	wantStatuses(t, srv, []getCase{
		{"a token of the wrong shape", "/v9/projects/prj_web", "not-a-token", 403},
		{"an unknown team", "/v9/projects/prj_web?teamId=team_nobody", vercelToken, 403},
		{"a team's project without its teamId", "/v9/projects/prj_team", vercelToken, 404},
	})
	if _, project := productionOf(t, srv, "prj_team", "?teamId=team_acme"); project["name"] != "team-web" {
		t.Fatalf("a team's project with its teamId: %v", project)
	}
}
