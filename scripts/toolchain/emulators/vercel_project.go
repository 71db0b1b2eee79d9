package main

import (
	"fmt"
	"regexp"
	"strings"
)

// Project: TPV vercel/resource_project.go (schema, Create/Read/Update/Delete/ImportState), client/project.go.

var (
	projectNameRe          = regexp.MustCompile(`^[a-z0-9\-]{0,100}$`)
	vercelAuthTypes        = []string{"standard_protection_new", "standard_protection", "all_deployments", "only_preview_deployments", "none"}
	vercelGitProviders     = []string{"github", "gitlab", "bitbucket"}
	vercelNodeVersions     = []string{"18.x", "20.x", "22.x", "24.x"}
	vercelProjectComputeds = []string{"id", "teamId", "nodeVersion", "vercelAuthentication", "automaticallyExposeSystemEnvironmentVariables", "serverlessFunctionRegion", "enableAffectedProjectsDeployments"}
)

func vercelProjectType() *resourceType {
	t := &resourceType{
		token: vercelProjectToken,
		// team_id: RequiresReplaceIfConfigured. Nothing else replaces a project.
		replaceOn: []string{"teamId"},
		// Optional+Computed with UseNonNullStateForUnknown: left out, the remote value stays.
		keepWhenOmitted: []string{"teamId", "nodeVersion", "vercelAuthentication", "automaticallyExposeSystemEnvironmentVariables", "serverlessFunctionRegion", "enableAffectedProjectsDeployments"},
		computed:        vercelProjectComputeds,
		check:           checkVercelProject,
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := vercelWrite(p, func(w *vercelWorld) (plain, error) {
			team, err := p.teamOf(w, in)
			if err != nil {
				return nil, projectError("creating", err)
			}
			if err := w.checkProjectWrite(team, "", in); err != nil {
				return nil, projectError("creating", err)
			}
			proj := &vercelProject{ID: randomID("prj_", 28), TeamID: team, Name: str(in, "name"), Settings: projectSettings(in, nil)}
			w.Projects[proj.ID] = proj
			return proj.outputs(), nil
		})
		return created(str(out, "id"), out, err)
	}
	t.read = vercelRead(func(w *vercelWorld, id string, state plain) (string, plain, error) {
		projectID := id
		if state == nil {
			// ImportState: "team_id/project_id" or "project_id".
			parts := strings.Split(id, "/")
			if len(parts) > 2 {
				return "", nil, fmt.Errorf("Error importing project: Invalid id '%s' specified. should be in format \"team_id/project_id\" or \"project_id\"", id)
			}
			projectID = parts[len(parts)-1]
		}
		proj, ok := w.Projects[projectID]
		if !ok {
			return "", nil, nil
		}
		return proj.ID, proj.outputs(), nil
	})
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) {
		return vercelWrite(p, func(w *vercelWorld) (plain, error) {
			proj, ok := w.Projects[id]
			if !ok {
				return nil, projectError("updating", apiError("not_found", "Project not found"))
			}
			if err := w.checkProjectWrite(proj.TeamID, id, news); err != nil {
				return nil, projectError("updating", err)
			}
			proj.Name = str(news, "name")
			proj.Settings = projectSettings(news, proj.Settings)
			return proj.outputs(), nil
		})
	}
	t.delete = func(p *provider, id string, state plain) error {
		return vercelUpdate(p, func(w *vercelWorld) error {
			delete(w.Projects, id)
			// client/project.go DeleteProject: "there is no need to explicitly remove every environment variable, as
			// these cease to exist when a project is removed."
			for envID, env := range w.Env {
				if env.ProjectID == id {
					delete(w.Env, envID)
				}
			}
			for dplID, d := range w.Deployments {
				if d.ProjectID == id {
					delete(w.Deployments, dplID)
				}
			}
			return nil
		})
	}
	return t
}

func projectError(doing string, err error) error {
	return fmt.Errorf("Error %s project: Could not %s project, unexpected error: %w", doing, strings.TrimSuffix(doing, "ing")+"e", err)
}

// projectSettings: what the API keeps of a project's inputs besides name and team. Left-out Optional+Computed
// settings keep their previous remote value; a new project gets Vercel's defaults for them.
func projectSettings(in plain, previous plain) plain {
	s := plain{}
	for k, v := range in {
		if k != "name" && k != "teamId" && v != nil {
			s[k] = clone(v)
		}
	}
	defaults := plain{
		// resource_project.go vercel_authentication: "The default value is `standard_protection_new`".
		"vercelAuthentication":                          plain{"deploymentType": "standard_protection_new"},
		"automaticallyExposeSystemEnvironmentVariables": true,
		"nodeVersion":                                   "22.x",
	}
	for k, v := range defaults {
		if _, set := s[k]; set {
			continue
		}
		if pv, ok := previous[k]; ok {
			s[k] = pv
		} else {
			s[k] = v
		}
	}
	if repo := object(s, "gitRepository"); repo != nil && str(repo, "productionBranch") == "" {
		// production_branch is Optional+Computed: Vercel picks the repository's default branch.
		repo["productionBranch"] = "main"
		if prev := object(previous, "gitRepository"); prev != nil && str(prev, "productionBranch") != "" {
			repo["productionBranch"] = prev["productionBranch"]
		}
	}
	return s
}

func (proj *vercelProject) outputs() plain {
	out := clone(proj.Settings)
	out["id"] = proj.ID
	out["name"] = proj.Name
	out["teamId"] = proj.TeamID
	return out
}

// checkProjectWrite: the API's rules for creating or changing a project.
func (w *vercelWorld) checkProjectWrite(team, self string, in plain) error {
	name := str(in, "name")
	for id, other := range w.Projects {
		// Project names are unique in a team or account: 409 {"code":"conflict","message":"Project \"x\" already
		// exists."} (the API's answer to POST /v9/projects, logged in dyad-sh/dyad#1873).
		if id != self && other.TeamID == team && other.Name == name {
			return apiError("conflict", fmt.Sprintf("Project %q already exists.", name))
		}
	}
	if repo := object(in, "gitRepository"); repo != nil && str(repo, "type") == "github" {
		// Connecting a repository needs the Vercel GitHub App on it (resource_project.go git_repository: "This
		// requires the corresponding Vercel for Github ... plugins to be installed"); the API answers code
		// repo_not_found / action "Install GitHub App" (vercel/vercel packages/cli/src/util/git/connect-git-provider.ts).
		if !inSet(w.GitRepositories, str(repo, "repo")) {
			return apiError("repo_not_found", fmt.Sprintf("The repository %s could not be found or the Vercel GitHub App is not installed on it (action: Install GitHub App).", str(repo, "repo")))
		}
	}
	return nil
}

// checkVercelProject: the schema validators of resource_project.go, and the framework list (validator_framework.go).
func checkVercelProject(p *provider, news, olds plain) []checkFailure {
	var f []checkFailure
	name, ok := news["name"].(string)
	switch {
	case isUnknown(news["name"]):
	case !ok:
		f = append(f, checkFailure{"name", "Missing required argument: The argument \"name\" is required, but no definition was found."})
	case len(name) < 1 || len(name) > 52:
		f = append(f, checkFailure{"name", fmt.Sprintf("Attribute name string length must be between 1 and 52, got: %d", len(name))})
	case !projectNameRe.MatchString(name):
		f = append(f, checkFailure{"name", "The name of a Project can only contain up to 100 alphanumeric lowercase characters and hyphens"})
	}
	if fw, ok := news["framework"].(string); ok && !vercelFrameworks[fw] {
		f = append(f, checkFailure{"framework", fmt.Sprintf("Invalid Framework: The framework %s is not supported on Vercel. Must be one of %s.", fw, strings.Join(sortedKeys(vercelFrameworks), ", "))})
	}
	if repo := object(news, "gitRepository"); repo != nil {
		if typ, ok := repo["type"].(string); ok && !inSet(vercelGitProviders, typ) {
			f = append(f, checkFailure{"gitRepository.type", fmt.Sprintf("Attribute git_repository.type value must be one of: [\"github\" \"gitlab\" \"bitbucket\"], got: %q", typ)})
		}
		if _, ok := repo["repo"]; !ok {
			f = append(f, checkFailure{"gitRepository.repo", "Missing required argument: git_repository.repo"})
		}
	}
	if auth := object(news, "vercelAuthentication"); auth != nil {
		if dt, ok := auth["deploymentType"].(string); ok && !inSet(vercelAuthTypes, dt) {
			f = append(f, checkFailure{"vercelAuthentication.deploymentType", fmt.Sprintf("Attribute vercel_authentication.deployment_type value must be one of: %q, got: %q", vercelAuthTypes, dt)})
		}
	}
	if nv, ok := news["nodeVersion"].(string); ok && !inSet(vercelNodeVersions, nv) {
		f = append(f, checkFailure{"nodeVersion", fmt.Sprintf("Attribute node_version value must be one of: %q, got: %q", vercelNodeVersions, nv)})
	}
	return f
}
