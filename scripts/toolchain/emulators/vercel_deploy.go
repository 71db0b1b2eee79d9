package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Vercel deployments, their production domains, promotion and rollback, and a loopback fake of the REST endpoints
// the prod release's promotion step calls (lib/vercel-promotion-script.ts). Sources: vercel.com/docs/deployments/
// promoting-a-deployment ("Staging and promoting a production deployment": with the project's auto-assignment of
// production domains off, a production build is staged and goes live only when promoted), /docs/instant-rollback
// (a rollback re-assigns the domains to a deployment that served production before), /docs/rest-api
// ("List deployments" GET /v6/deployments, "Point production traffic to a given deployment" POST
// /v10/projects/{projectId}/promote/{deploymentId}, "rollback" POST /v1/projects/{projectId}/rollback/{deploymentId},
// "Find a project" GET /v9/projects/{idOrName}); the shapes of the answers as the Vercel CLI reads them
// (vercel/vercel internals/types/index.d.ts Project.targets.production, Project.lastAliasRequest, Deployment).
//
// `pulumi-resource-emulator vercel push <owner/repo> <branch> <commit> [READY|BUILDING|ERROR]` plays a git push
// (Vercel's git integration builds it; scripts/engine/remote.ts calls it) and prints the deployments' ids;
// `pulumi-resource-emulator vercel-api` serves the REST fake on 127.0.0.1 and prints its port.

type vercelDeployment struct {
	ID        string `json:"id"`
	ProjectID string `json:"projectId"`
	TeamID    string `json:"teamId"`
	// Target: "production" for a push to the project's production branch, "preview" for any other branch.
	Target    string `json:"target"`
	Ref       string `json:"ref"`
	CommitSha string `json:"commitSha"`
	// State: Vercel's readyState (READY, BUILDING, ERROR, CANCELED).
	State string `json:"state"`
	// ServedProduction: it has held the production domains at some point (Instant Rollback's eligible deployments).
	ServedProduction bool  `json:"servedProduction"`
	CreatedAt        int64 `json:"createdAt"`
}

// vercelAliasRequest is the project's lastAliasRequest: the last promotion or rollback and how it went.
type vercelAliasRequest struct {
	Type             string `json:"type"`
	JobStatus        string `json:"jobStatus"`
	FromDeploymentID string `json:"fromDeploymentId"`
	ToDeploymentID   string `json:"toDeploymentId"`
	RequestedAt      int64  `json:"requestedAt"`
}

// autoAssigns: the project setting autoAssignCustomDomains, true unless set false (TPV resource_project.go: Default true).
func (proj *vercelProject) autoAssigns() bool {
	v, ok := proj.Settings["autoAssignCustomDomains"].(bool)
	return !ok || v
}

// nextCreatedAt keeps deployment timestamps strictly increasing, so "newest first" is well defined.
func (w *vercelWorld) nextCreatedAt() int64 {
	t := time.Now().UnixMilli()
	for _, d := range w.Deployments {
		if d.CreatedAt >= t {
			t = d.CreatedAt + 1
		}
	}
	return t
}

// push: Vercel's git integration builds a push for every project connected to the repository: a production
// deployment on the project's production branch, a preview deployment on any other. A READY production deployment
// of a project that auto-assigns its production domains goes live at once; otherwise it is staged.
func (w *vercelWorld) push(repo, branch, commit, state string) ([]string, error) {
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(commit) {
		return nil, fmt.Errorf("commit %q is not 40 hex digits", commit)
	}
	if state != "READY" && state != "BUILDING" && state != "ERROR" {
		return nil, fmt.Errorf("state %q is not READY, BUILDING or ERROR", state)
	}
	ids := []string{}
	for _, pid := range sortedKeys(w.Projects) {
		proj := w.Projects[pid]
		git := object(proj.Settings, "gitRepository")
		if git == nil || str(git, "repo") != repo {
			continue
		}
		target := "preview"
		if str(git, "productionBranch") == branch {
			target = "production"
		}
		d := &vercelDeployment{ID: randomID("dpl_", 24), ProjectID: proj.ID, TeamID: proj.TeamID, Target: target, Ref: branch, CommitSha: commit, State: state, CreatedAt: w.nextCreatedAt()}
		w.Deployments[d.ID] = d
		if target == "production" && state == "READY" && proj.autoAssigns() {
			proj.assignProduction(w, d, "")
		}
		ids = append(ids, d.ID)
	}
	return ids, nil
}

// assignProduction points the project's production domains at d; kind "" is Vercel's own assignment after a build.
func (proj *vercelProject) assignProduction(w *vercelWorld, d *vercelDeployment, kind string) {
	from := proj.Production
	proj.Production = d.ID
	d.ServedProduction = true
	if kind != "" {
		proj.LastAliasRequest = &vercelAliasRequest{Type: kind, JobStatus: "succeeded", FromDeploymentID: from, ToDeploymentID: d.ID, RequestedAt: time.Now().UnixMilli()}
	}
}

// vercelCommand: `vercel push <repo> <branch> <commit> [state]`.
func vercelCommand(args []string, out io.Writer) error {
	if len(args) < 4 || args[0] != "push" {
		return fmt.Errorf("usage: vercel push <owner/repo> <branch> <commit> [READY|BUILDING|ERROR]")
	}
	state := "READY"
	if len(args) > 4 {
		state = args[4]
	}
	s, err := openStore()
	if err != nil {
		return err
	}
	var ids []string
	err = update[vercelWorld](s, "vercel", func(w *vercelWorld) error {
		ids, err = w.push(args[1], args[2], args[3], state)
		return err
	})
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(ids)
}

func vercelAPI(out io.Writer) error {
	return serveAPI(out, "vercel-api-port", strconv.Itoa, vercelHandler)
}

// vercelReply writes Vercel's JSON, errors as {"error": {"code", "message"}} (TPV client/request.go reads that shape).
func vercelReply(w http.ResponseWriter, code int, v any) {
	jsonReply(w, code, v)
}

func vercelFailure(code int, errorCode, message string) (int, any) {
	return code, map[string]any{"error": map[string]string{"code": errorCode, "message": message}}
}

var (
	promotePathRe       = regexp.MustCompile(`^/v10/projects/([^/]+)/promote/([^/]+)$`)
	rollbackPathRe      = regexp.MustCompile(`^/v(?:1|9)/projects/([^/]+)/rollback/([^/]+)$`)
	vercelProjectPathRe = regexp.MustCompile(`^/v9/projects/([^/]+)$`)
)

func vercelHandler(s store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var status int
		var reply any
		err := update[vercelWorld](s, "vercel", func(world *vercelWorld) error {
			status, reply = vercelRoute(world, r)
			if status >= 300 || r.Method == http.MethodGet {
				return fmt.Errorf("nothing to write")
			}
			return nil
		})
		_ = err
		vercelReply(w, status, reply)
	})
}

// vercelRoute answers one request. The token must have the shape the provider accepts (apiTokenRe); any such token
// acts for every team (who a token belongs to is not modelled). A teamId must name a known team, and a project is
// found only in its own team.
func vercelRoute(world *vercelWorld, r *http.Request) (int, any) {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == r.Header.Get("Authorization") || !regexp.MustCompile(`^[0-9a-zA-Z]{24}$`).MatchString(token) {
		return vercelFailure(403, "forbidden", "Not authorized")
	}
	team := r.URL.Query().Get("teamId")
	if team != "" && world.Teams[team] == nil {
		return vercelFailure(403, "forbidden", "Not authorized")
	}
	projectOf := func(idOrName string) *vercelProject {
		for _, p := range world.Projects {
			if (p.ID == idOrName || p.Name == idOrName) && p.TeamID == team {
				return p
			}
		}
		return nil
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v6/deployments":
		return listDeployments(world, r, projectOf)
	case r.Method == http.MethodGet && vercelProjectPathRe.MatchString(r.URL.Path):
		proj := projectOf(vercelProjectPathRe.FindStringSubmatch(r.URL.Path)[1])
		if proj == nil {
			return vercelFailure(404, "not_found", "Project not found")
		}
		return 200, projectJSON(world, proj)
	case r.Method == http.MethodPost && (promotePathRe.MatchString(r.URL.Path) || rollbackPathRe.MatchString(r.URL.Path)):
		kind, m := "promote", promotePathRe.FindStringSubmatch(r.URL.Path)
		if m == nil {
			kind, m = "rollback", rollbackPathRe.FindStringSubmatch(r.URL.Path)
		}
		proj := projectOf(m[1])
		if proj == nil {
			return vercelFailure(404, "not_found", "Project not found")
		}
		d := world.Deployments[m[2]]
		if d == nil || d.ProjectID != proj.ID {
			return vercelFailure(404, "not_found", "Deployment not found")
		}
		if d.State != "READY" {
			return vercelFailure(400, "bad_request", fmt.Sprintf("Deployment %s is not ready (%s)", d.ID, d.State))
		}
		if d.Target != "production" {
			// A preview deployment is promoted by building it again for production (vercel promote asks first).
			return vercelFailure(400, "bad_request", "This deployment is not a production deployment and cannot be directly promoted")
		}
		if kind == "rollback" && !d.ServedProduction {
			return vercelFailure(400, "bad_request", "This deployment is not eligible for rollback: it has never served production traffic")
		}
		proj.assignProduction(world, d, kind)
		return 201, map[string]any{}
	}
	return vercelFailure(404, "not_found", "the deploy-guardrails Vercel fake does not model "+r.Method+" "+r.URL.Path)
}

func listDeployments(world *vercelWorld, r *http.Request, projectOf func(string) *vercelProject) (int, any) {
	q := r.URL.Query()
	var proj *vercelProject
	if id := q.Get("projectId"); id != "" {
		if proj = projectOf(id); proj == nil {
			return vercelFailure(404, "not_found", "Project not found")
		}
	}
	limit := 20
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 {
		limit = min(l, 100)
	}
	until, _ := strconv.ParseInt(q.Get("until"), 10, 64)
	var all []*vercelDeployment
	for _, d := range world.Deployments {
		if (proj == nil || d.ProjectID == proj.ID) && d.TeamID == q.Get("teamId") && (q.Get("target") == "" || d.Target == q.Get("target")) && (until == 0 || d.CreatedAt < until) {
			all = append(all, d)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].CreatedAt > all[j].CreatedAt })
	page := all
	var next any
	if len(all) > limit {
		page = all[:limit]
		next = page[limit-1].CreatedAt
	}
	list := []any{}
	for _, d := range page {
		list = append(list, deploymentJSON(world, d))
	}
	return 200, map[string]any{"deployments": list, "pagination": map[string]any{"count": len(list), "next": next, "prev": nil}}
}

func deploymentJSON(world *vercelWorld, d *vercelDeployment) map[string]any {
	name, substate := "", "STAGED"
	if proj := world.Projects[d.ProjectID]; proj != nil {
		name = proj.Name
		if proj.Production == d.ID {
			substate = "PROMOTED"
		}
	}
	target := any(d.Target)
	if d.Target == "preview" {
		// The API's target of a preview deployment is null.
		target = nil
	}
	return map[string]any{
		"uid": d.ID, "name": name, "url": strings.ToLower(d.ID[4:]) + ".vercel.app", "created": d.CreatedAt, "createdAt": d.CreatedAt,
		"state": d.State, "readyState": d.State, "readySubstate": substate, "target": target, "projectId": d.ProjectID,
		"isRollbackCandidate": d.ServedProduction, "meta": map[string]string{"githubCommitSha": d.CommitSha, "githubCommitRef": d.Ref},
	}
}

func projectJSON(world *vercelWorld, proj *vercelProject) map[string]any {
	out := map[string]any{"id": proj.ID, "name": proj.Name, "accountId": proj.TeamID, "autoAssignCustomDomains": proj.autoAssigns(), "targets": map[string]any{}}
	if d := world.Deployments[proj.Production]; d != nil {
		out["targets"] = map[string]any{"production": map[string]any{"id": d.ID, "readyState": d.State, "meta": map[string]string{"githubCommitSha": d.CommitSha}}}
	}
	if proj.LastAliasRequest != nil {
		out["lastAliasRequest"] = proj.LastAliasRequest
	}
	return out
}
