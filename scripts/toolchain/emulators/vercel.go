package main

import (
	"fmt"
	"os"
	"regexp"
)

// vercel: @pulumiverse/vercel 5.4.1 = vercel/terraform-provider-vercel v5.4.1 (mirror
// /work/.mirror/vercel+terraform-provider-vercel/repo; files cited as TPV <path>). Bridged with the plugin
// framework: no __defaults in checked inputs.

const (
	vercelProjectToken  = "vercel:index/project:Project"
	vercelVariableToken = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable"
)

// vercelWorld is vercel.json: teams, projects, their environment variables and their deployments.
type vercelWorld struct {
	Revision int `json:"revision"`
	// Teams by id; a resource without teamId (and a provider without team) works in the token's personal account.
	Teams map[string]*vercelTeam `json:"teams"`
	// GitRepositories the Vercel GitHub app can see ("owner/repo"): a project can connect only to those.
	GitRepositories []string                  `json:"gitRepositories"`
	Projects        map[string]*vercelProject `json:"projects"`
	Env             map[string]*vercelEnv     `json:"env"`
	// Deployments by id: what git pushes built (vercel_deploy.go).
	Deployments map[string]*vercelDeployment `json:"deployments,omitempty"`
}

type vercelTeam struct {
	Slug string `json:"slug"`
	// SensitiveEnvironmentVariablePolicy "on" makes preview/production variables sensitive (TeamConfig).
	SensitiveEnvironmentVariablePolicy string `json:"sensitiveEnvironmentVariablePolicy,omitempty"`
}

type vercelProject struct {
	ID     string `json:"id"`
	TeamID string `json:"teamId"`
	Name   string `json:"name"`
	// Settings: every other input of the project, as the API returns it.
	Settings plain `json:"settings"`
	// Production: the deployment the production domains point at (vercel_deploy.go), "" before the first.
	Production string `json:"production,omitempty"`
	// LastAliasRequest: the last promotion or rollback.
	LastAliasRequest *vercelAliasRequest `json:"lastAliasRequest,omitempty"`
}

type vercelEnv struct {
	ID        string   `json:"id"`
	ProjectID string   `json:"projectId"`
	TeamID    string   `json:"teamId"`
	Key       string   `json:"key"`
	Type      string   `json:"type"` // "sensitive" (never read back) or "encrypted" (read back decrypted)
	Value     *string  `json:"value,omitempty"`
	Digest    string   `json:"digest"`
	Target    []string `json:"target"`
	GitBranch *string  `json:"gitBranch,omitempty"`
	Comment   string   `json:"comment"`
	// CustomEnvironmentIDs are kept as given.
	CustomEnvironmentIDs []string `json:"customEnvironmentIds,omitempty"`
}

func (w *vercelWorld) revision() *int { return &w.Revision }
func (w *vercelWorld) normalize() {
	if w.Teams == nil {
		w.Teams = map[string]*vercelTeam{}
	}
	if w.Projects == nil {
		w.Projects = map[string]*vercelProject{}
	}
	if w.Env == nil {
		w.Env = map[string]*vercelEnv{}
	}
	if w.Deployments == nil {
		w.Deployments = map[string]*vercelDeployment{}
	}
}

func vercelUpdate(p *provider, fn func(*vercelWorld) error) error {
	return worldUpdate[vercelWorld](p, "vercel", fn)
}

func vercelView(p *provider) (*vercelWorld, error) { return worldView[vercelWorld](p, "vercel") }

// vercelWrite changes the world and answers with the resource's outputs.
func vercelWrite(p *provider, fn func(w *vercelWorld) (plain, error)) (plain, error) {
	return worldWrite[vercelWorld](p, "vercel", fn)
}

// vercelRead reads the world as it is.
func vercelRead(fn func(w *vercelWorld, id string, state plain) (string, plain, error)) readFunc {
	return func(p *provider, id string, state plain) (string, plain, error) {
		w, err := vercelView(p)
		if err != nil {
			return "", nil, err
		}
		return fn(w, id, state)
	}
}

// apiError is how the Vercel client formats an API error: "<code> - <message>" (TPV client/request.go).
func apiError(code, message string) error { return fmt.Errorf("%s - %s", code, message) }

func vercelProvider(version string) *provider {
	return &provider{
		pkg: "vercel", version: version,
		types: map[string]*resourceType{
			vercelProjectToken:  vercelProjectType(),
			vercelVariableToken: vercelVariableType(),
		},
		configure: configureVercel,
	}
}

// apiTokenRe: TPV vercel/provider.go, an unanchored match of 24 alphanumerics.
var apiTokenRe = regexp.MustCompile("[0-9a-zA-Z]{24}")

// configureVercel: TPV vercel/provider.go Configure. An unknown token only warns and leaves the provider without
// a client; an empty one or one of the wrong shape fails; a `team` is looked up and must exist.
func configureVercel(p *provider, config plain) error {
	token, known := config["apiToken"].(string)
	if isUnknown(config["apiToken"]) {
		return nil
	}
	if !known || token == "" {
		token = os.Getenv("VERCEL_API_TOKEN")
	}
	if token == "" {
		return fmt.Errorf("Unable to find api_token: api_token cannot be an empty string")
	}
	if !apiTokenRe.MatchString(token) {
		return fmt.Errorf("Invalid api_token: api_token (VERCEL_API_TOKEN) must be 24 characters and only contain characters 0-9 and a-f (all lowercased)")
	}
	if team := str(config, "team"); team != "" {
		w, err := vercelView(p)
		if err != nil {
			return err
		}
		if w.team(team) == "" {
			return fmt.Errorf("Vercel Team not found: You provided a `team` field on the Vercel provider, but the team could not be found. Please check the team slug or ID is correct and that your api_token has access to the team.")
		}
	}
	return nil
}

// team resolves a team id or slug to its id ("" when unknown).
func (w *vercelWorld) team(idOrSlug string) string {
	if _, ok := w.Teams[idOrSlug]; ok {
		return idOrSlug
	}
	for id, t := range w.Teams {
		if t.Slug == idOrSlug {
			return id
		}
	}
	return ""
}

// teamNamed is the team id or slug a resource names: its own teamId, else the provider's team ("" for the personal
// account).
func (p *provider) teamNamed(in plain) string {
	if team := str(in, "teamId"); team != "" {
		return team
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return str(p.config, "team")
}

// teamOf is the team a resource works in: its own teamId, else the provider's team, else the personal account.
func (p *provider) teamOf(w *vercelWorld, in plain) (string, error) {
	team := p.teamNamed(in)
	if team == "" {
		return "", nil
	}
	id := w.team(team)
	if id == "" {
		return "", apiError("not_found", fmt.Sprintf("Team %s was not found", team))
	}
	return id, nil
}
