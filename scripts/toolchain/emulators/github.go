package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// github: @pulumi/github 6.15.0 = integrations/terraform-provider-github v6.13.0 (mirror
// /work/.mirror/integrations+terraform-provider-github/repo; files cited as TPG github/<file>). A terraform-bridge
// SDKv2 provider: __defaults: [] at every object level of the checked inputs (server.go addBridgeDefaults).

const (
	ghEnvironmentToken   = "github:index/repositoryEnvironment:RepositoryEnvironment"
	ghPolicyToken        = "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy"
	ghEnvSecretToken     = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret"
	ghEnvVariableToken   = "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable"
	ghBranchProtToken    = "github:index/branchProtection:BranchProtection"
	ghRulesetToken       = "github:index/repositoryRuleset:RepositoryRuleset"
	ghWorkflowPermsToken = "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions"
	ghFileToken          = "github:index/repositoryFile:RepositoryFile"
)

// githubWorld is github.json: accounts (users and organizations), teams and repositories with their settings.
type githubWorld struct {
	Revision int                   `json:"revision"`
	Accounts map[string]*ghAccount `json:"accounts"`
	Teams    map[string]*ghTeam    `json:"teams"` // "org/slug"
	Repos    map[string]*ghRepo    `json:"repositories"`
	NextID   int64                 `json:"nextId"`
}

type ghAccount struct {
	ID   int64  `json:"id"`
	Type string `json:"type"` // "User" or "Organization"
	// Plan: "free", "pro", "team" or "enterprise": what GitHub lets private repositories use.
	Plan string `json:"plan"`
	// ActionsCanApprovePullRequests false: the organization forbids repositories to let GITHUB_TOKEN approve.
	ActionsCanApprovePullRequests *bool `json:"actionsCanApprovePullRequests,omitempty"`
}

type ghTeam struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Org  string `json:"org"`
}

type ghRepo struct {
	ID            int64    `json:"id"`
	NodeID        string   `json:"nodeId"`
	Owner         string   `json:"owner"`
	Name          string   `json:"name"`
	Private       bool     `json:"private"`
	DefaultBranch string   `json:"defaultBranch"`
	Branches      []string `json:"branches"`
	// Collaborators: login -> "read", "triage", "write", "maintain" or "admin".
	Collaborators       map[string]string              `json:"collaborators"`
	Environments        map[string]*ghEnvironment      `json:"environments"`
	BranchProtections   map[string]*ghBranchProtection `json:"branchProtections"` // by node id
	Rulesets            map[string]*ghRuleset          `json:"rulesets"`          // by id
	WorkflowPermissions ghWorkflowPermissions          `json:"workflowPermissions"`
	Files               map[string]map[string]*ghFile  `json:"files"` // branch -> path -> file
}

type ghEnvironment struct {
	Name                   string                 `json:"name"`
	WaitTimer              int                    `json:"waitTimer"`
	CanAdminsBypass        bool                   `json:"canAdminsBypass"`
	PreventSelfReview      bool                   `json:"preventSelfReview"`
	Reviewers              []ghReviewer           `json:"reviewers"`
	DeploymentBranchPolicy *ghBranchPolicy        `json:"deploymentBranchPolicy"`
	Policies               map[string]*ghPolicy   `json:"policies"`
	Secrets                map[string]*ghSecret   `json:"secrets"`
	Variables              map[string]*ghVariable `json:"variables"`
}

type ghReviewer struct {
	Type string `json:"type"` // "User" or "Team"
	ID   int64  `json:"id"`
}

type ghBranchPolicy struct {
	ProtectedBranches    bool `json:"protectedBranches"`
	CustomBranchPolicies bool `json:"customBranchPolicies"`
}

type ghPolicy struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"` // "branch" or "tag"
}

type ghSecret struct {
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
	Digest    string `json:"digest"`
}

type ghVariable struct {
	Value     string `json:"value"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

type ghBranchProtection struct {
	ID      string `json:"id"`
	Pattern string `json:"pattern"`
	// Settings: the rule as GitHub returns it, in the SDK's names.
	Settings plain `json:"settings"`
}

type ghRuleset struct {
	ID       int64  `json:"id"`
	NodeID   string `json:"nodeId"`
	Name     string `json:"name"`
	Settings plain  `json:"settings"`
}

type ghWorkflowPermissions struct {
	DefaultWorkflowPermissions   string `json:"defaultWorkflowPermissions"`
	CanApprovePullRequestReviews bool   `json:"canApprovePullRequestReviews"`
}

type ghFile struct {
	Content       string `json:"content"`
	SHA           string `json:"sha"`
	CommitSHA     string `json:"commitSha"`
	CommitMessage string `json:"commitMessage"`
}

func (w *githubWorld) revision() *int { return &w.Revision }
func (w *githubWorld) normalize() {
	if w.Accounts == nil {
		w.Accounts = map[string]*ghAccount{}
	}
	if w.Teams == nil {
		w.Teams = map[string]*ghTeam{}
	}
	if w.Repos == nil {
		w.Repos = map[string]*ghRepo{}
	}
	if w.NextID == 0 {
		w.NextID = 5000000
	}
	for _, r := range w.Repos {
		if r.Environments == nil {
			r.Environments = map[string]*ghEnvironment{}
		}
		if r.BranchProtections == nil {
			r.BranchProtections = map[string]*ghBranchProtection{}
		}
		if r.Rulesets == nil {
			r.Rulesets = map[string]*ghRuleset{}
		}
		if r.Files == nil {
			r.Files = map[string]map[string]*ghFile{}
		}
		if r.Collaborators == nil {
			r.Collaborators = map[string]string{}
		}
		if r.DefaultBranch == "" {
			r.DefaultBranch = "main"
		}
		if len(r.Branches) == 0 {
			r.Branches = []string{r.DefaultBranch}
		}
		if r.WorkflowPermissions.DefaultWorkflowPermissions == "" {
			r.WorkflowPermissions.DefaultWorkflowPermissions = "read"
		}
		for _, e := range r.Environments {
			if e.Policies == nil {
				e.Policies = map[string]*ghPolicy{}
			}
			if e.Secrets == nil {
				e.Secrets = map[string]*ghSecret{}
			}
			if e.Variables == nil {
				e.Variables = map[string]*ghVariable{}
			}
		}
	}
}

func (w *githubWorld) nextID() int64 {
	w.NextID++
	return w.NextID
}

// ghError formats an API refusal as go-github's ErrorResponse does: "<METHOD> <url>: <status> <message> []".
func ghError(method, path string, code int, message string) error {
	return fmt.Errorf("%s https://api.github.com/%s: %d %s []", method, strings.TrimPrefix(path, "/"), code, message)
}

func githubUpdate(p *provider, fn func(*githubWorld) error) error {
	return worldUpdate[githubWorld](p, "github", fn)
}

func githubView(p *provider) (*githubWorld, error) { return worldView[githubWorld](p, "github") }

// githubChange changes the world as the provider's session.
func githubChange(p *provider, fn func(w *githubWorld, s ghSession) error) error {
	s := p.github()
	return githubUpdate(p, func(w *githubWorld) error { return fn(w, s) })
}

// githubWrite changes the world as the provider's session and answers with the resource's outputs.
func githubWrite(p *provider, fn func(w *githubWorld, s ghSession) (plain, error)) (plain, error) {
	s := p.github()
	return worldWrite[githubWorld](p, "github", func(w *githubWorld) (plain, error) { return fn(w, s) })
}

// githubRead reads the world as the provider's session sees it.
func githubRead(fn func(w *githubWorld, s ghSession, id string, state plain) (string, plain, error)) readFunc {
	return func(p *provider, id string, state plain) (string, plain, error) {
		s := p.github()
		w, err := githubView(p)
		if err != nil {
			return "", nil, err
		}
		return fn(w, s, id, state)
	}
}

// githubInvoke: a function of the provider, answered from the world as the provider's session sees it.
func githubInvoke(fn func(w *githubWorld, s ghSession, args plain) (plain, error)) func(*provider, plain) (plain, error) {
	return func(p *provider, args plain) (plain, error) {
		s := p.github()
		w, err := githubView(p)
		if err != nil {
			return nil, err
		}
		return fn(w, s, args)
	}
}

// ghSession is the provider's configuration as the real one resolves it (TPG github/provider.go, config.go).
type ghSession struct {
	owner          string
	token          string
	isOrganization bool
}

func (p *provider) github() ghSession {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := ghSession{owner: str(p.config, "owner"), token: str(p.config, "token")}
	if s.owner == "" {
		s.owner = os.Getenv("GITHUB_OWNER")
	}
	if s.token == "" {
		s.token = os.Getenv("GITHUB_TOKEN")
	}
	s.isOrganization = boolean(p.config, "__isOrganization", false)
	return s
}

// configureGithub: configureProviderMeta. Without a token the client is anonymous; with a token the owner must be
// set ("owner must be set when authenticating using the new client implementation"); a set owner is looked up
// with GET /orgs/<owner>, and only a 404 means "a user, not an organization".
func configureGithub(p *provider, config plain) error {
	s := p.github()
	if s.token != "" && s.owner == "" {
		return fmt.Errorf("owner must be set when authenticating using the new client implementation")
	}
	if s.owner == "" {
		return nil
	}
	w, err := githubView(p)
	if err != nil {
		return fmt.Errorf("failed to lookup organization %q: %w", s.owner, err)
	}
	acct := w.Accounts[s.owner]
	p.mu.Lock()
	p.config["__isOrganization"] = acct != nil && acct.Type == "Organization"
	p.mu.Unlock()
	return nil
}

// repo finds owner/name for an operation; anonymous callers see public repositories only, and may not write.
func (w *githubWorld) repo(s ghSession, name, method string) (*ghRepo, error) {
	path := fmt.Sprintf("repos/%s/%s", s.owner, name)
	if method != http.MethodGet && s.token == "" {
		return nil, ghError(method, path, 401, "Requires authentication")
	}
	r, ok := w.Repos[s.owner+"/"+name]
	if !ok || (r.Private && s.token == "") {
		return nil, ghError("GET", path, 404, "Not Found")
	}
	return r, nil
}

func (w *githubWorld) planOf(owner string) string {
	if a := w.Accounts[owner]; a != nil && a.Plan != "" {
		return a.Plan
	}
	return "free"
}

func githubProvider(version string) *provider {
	return &provider{
		pkg: "github", version: version, bridgeDefaults: true, configure: configureGithub,
		types: map[string]*resourceType{
			ghEnvironmentToken:   ghEnvironmentType(),
			ghPolicyToken:        ghPolicyType(),
			ghEnvSecretToken:     ghEnvSecretType(),
			ghEnvVariableToken:   ghEnvVariableType(),
			ghBranchProtToken:    ghBranchProtectionType(),
			ghRulesetToken:       ghRulesetType(),
			ghWorkflowPermsToken: ghWorkflowPermissionsType(),
			ghFileToken:          ghFileType(),
		},
		invokes: map[string]func(*provider, plain) (plain, error){
			"github:index/getRepository:getRepository":                                                           githubInvoke(ghGetRepository),
			"github:index/getUser:getUser":                                                                       githubInvoke(ghGetUser),
			"github:index/getOrganization:getOrganization":                                                       githubInvoke(ghGetOrganization),
			"github:index/getTeam:getTeam":                                                                       githubInvoke(ghGetTeam),
			"github:index/getRepositoryEnvironments:getRepositoryEnvironments":                                   githubInvoke(ghGetRepositoryEnvironments),
			"github:index/getRepositoryEnvironmentDeploymentPolicies:getRepositoryEnvironmentDeploymentPolicies": githubInvoke(ghGetRepositoryEnvironmentDeploymentPolicies),
		},
	}
}

// parseID splits a TPG id ("a:b[:c]", buildID/parseID/parseID2/parseID3 in github/util.go: SplitN on ':'); an
// environment name's ':' is escaped as '??' (escapeIDPart).
func parseID(id string, parts int) ([]string, bool) {
	out := strings.SplitN(id, ":", parts)
	if len(out) != parts {
		return nil, false
	}
	for i := range out {
		out[i] = strings.ReplaceAll(out[i], "??", ":")
	}
	return out, true
}

// unexpectedID: the provider's refusal of an id without the parts its parseID expects.
func unexpectedID(id string, parts int) error {
	return fmt.Errorf("unexpected ID format (%q); expected %d parts separated by \":\"", id, parts)
}

func buildID(parts ...string) string { return strings.Join(parts, ":") }

func escapeIDPart(part string) string { return strings.ReplaceAll(part, ":", "??") }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
