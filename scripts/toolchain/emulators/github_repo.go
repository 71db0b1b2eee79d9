package main

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// WorkflowRepositoryPermissions: TPG github/resource_github_workflow_repository_permissions.go. RepositoryFile:
// resource_github_repository_file.go. The functions: data_source_github_repository.go, data_source_github_user.go,
// data_source_github_organization.go, data_source_github_team.go.

func ghWorkflowPermissionsType() *resourceType {
	t := &resourceType{
		token:    ghWorkflowPermsToken,
		defaults: plain{"canApprovePullRequestReviews": false},
		check: func(p *provider, news, olds plain) []checkFailure {
			var f []checkFailure
			if v, ok := news["defaultWorkflowPermissions"].(string); ok && v != "read" && v != "write" {
				f = append(f, checkFailure{"defaultWorkflowPermissions", fmt.Sprintf("expected default_workflow_permissions to be one of [\"read\" \"write\"], got %s", v)})
			}
			if r, ok := news["repository"].(string); ok && (len(r) < 1 || len(r) > 100) {
				f = append(f, checkFailure{"repository", fmt.Sprintf("expected length of repository to be in the range (1 - 100), got %s", r)})
			}
			return f
		},
	}
	set := func(p *provider, repoName string, perms ghWorkflowPermissions) (plain, error) {
		return githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, err := w.repo(s, repoName, "PUT")
			if err != nil {
				return nil, err
			}
			// An organization that does not let GitHub Actions approve pull requests cannot be overridden by a
			// repository: 409 Conflict (REST "Set default workflow permissions for a repository").
			if a := w.Accounts[repo.Owner]; perms.CanApprovePullRequestReviews && a != nil && a.ActionsCanApprovePullRequests != nil && !*a.ActionsCanApprovePullRequests {
				return nil, ghError("PUT", fmt.Sprintf("repos/%s/%s/actions/permissions/workflow", repo.Owner, repo.Name), 409, "Conflict")
			}
			repo.WorkflowPermissions = perms
			return workflowOutputs(repo), nil
		})
	}
	perms := func(in plain) ghWorkflowPermissions {
		// CreateOrUpdate sends d.Get(...): "" when default_workflow_permissions is left out, which GitHub keeps as is.
		return ghWorkflowPermissions{DefaultWorkflowPermissions: str(in, "defaultWorkflowPermissions"), CanApprovePullRequestReviews: boolean(in, "canApprovePullRequestReviews", false)}
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		w, err := githubView(p)
		if err != nil {
			return "", nil, err
		}
		next := perms(in)
		if r := w.Repos[p.github().owner+"/"+str(in, "repository")]; r != nil && next.DefaultWorkflowPermissions == "" {
			next.DefaultWorkflowPermissions = r.WorkflowPermissions.DefaultWorkflowPermissions
		}
		out, err := set(p, str(in, "repository"), next)
		return str(in, "repository"), out, err // d.SetId(repoName)
	}
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) {
		next := perms(news)
		if next.DefaultWorkflowPermissions == "" {
			next.DefaultWorkflowPermissions = str(olds, "defaultWorkflowPermissions")
		}
		return set(p, str(news, "repository"), next)
	}
	t.read = githubRead(func(w *githubWorld, s ghSession, id string, state plain) (string, plain, error) {
		repo, err := w.repo(s, id, "GET") // ImportStatePassthrough: the id is the repository name
		if err != nil {
			return "", nil, err
		}
		return id, workflowOutputs(repo), nil
	})
	t.delete = func(p *provider, id string, state plain) error {
		// Delete puts GitHub's defaults back: read, and no approving.
		_, err := set(p, id, ghWorkflowPermissions{DefaultWorkflowPermissions: "read"})
		return err
	}
	return t
}

func workflowOutputs(repo *ghRepo) plain {
	return plain{"repository": repo.Name, "defaultWorkflowPermissions": repo.WorkflowPermissions.DefaultWorkflowPermissions, "canApprovePullRequestReviews": repo.WorkflowPermissions.CanApprovePullRequestReviews}
}

func ghFileType() *resourceType {
	t := &resourceType{
		token: ghFileToken,
		// file and branch are ForceNew (ref too); content and the commit fields update in place.
		replaceOn:       []string{"file", "branch", "repository"},
		keepWhenOmitted: []string{"branch", "commitMessage"},
		computed:        []string{"repositoryId", "ref", "commitSha", "sha", "branch", "commitMessage"},
		defaults:        plain{"overwriteOnCreate": false},
	}
	write := func(p *provider, in plain, creating bool) (plain, error) {
		return githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, err := w.repo(s, str(in, "repository"), "PUT")
			if err != nil {
				return nil, err
			}
			branch := str(in, "branch")
			if branch == "" {
				branch = repo.DefaultBranch
			}
			filePath := str(in, "file")
			apiPath := fmt.Sprintf("repos/%s/%s/contents/%s", repo.Owner, repo.Name, filePath)
			if !inSet(repo.Branches, branch) {
				if !boolean(in, "autocreateBranch", false) {
					// checkRepositoryBranchExists
					return nil, ghError("GET", fmt.Sprintf("repos/%s/%s/branches/%s", repo.Owner, repo.Name, branch), 404, "Branch not found")
				}
				repo.Branches = append(repo.Branches, branch)
			}
			if err := w.checkDirectWrite(repo, branch, "PUT", apiPath); err != nil {
				return nil, err
			}
			files := repo.Files[branch]
			if files == nil {
				files = map[string]*ghFile{}
				repo.Files[branch] = files
			}
			if creating && files[filePath] != nil && !boolean(in, "overwriteOnCreate", false) {
				return nil, fmt.Errorf("refusing to overwrite existing file: configure `overwrite_on_create` to `true` to override")
			}
			message := str(in, "commitMessage")
			if message == "" {
				message = fmt.Sprintf("Add %s", filePath)
				if !creating {
					message = fmt.Sprintf("Update %s", filePath)
				}
			}
			content := str(in, "content")
			blob := sha1.Sum([]byte(fmt.Sprintf("blob %d\x00%s", len(content), content)))
			f := &ghFile{Content: content, SHA: hex.EncodeToString(blob[:]), CommitSHA: randomID("", 40), CommitMessage: message}
			files[filePath] = f
			return f.outputs(repo, filePath, branch, in), nil
		})
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := write(p, in, true)
		return created(buildID(str(in, "repository"), escapeIDPart(str(in, "file")), str(out, "branch")), out, err)
	}
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) {
		if news["branch"] == nil {
			news = clone(news)
			news["branch"] = olds["branch"]
		}
		return write(p, news, false)
	}
	t.read = githubRead(func(w *githubWorld, s ghSession, id string, state plain) (string, plain, error) {
		parts, ok := parseID(id, 3)
		if !ok {
			// The import id "<repository>:<file>[:<branch>]".
			if parts2, ok2 := parseID(id, 2); ok2 {
				parts, ok = append(parts2, ""), true
			} else {
				return "", nil, fmt.Errorf("invalid ID specified: supplied ID must be written as <repository>:<file path>:<branch>")
			}
		}
		repo, err := w.repo(s, parts[0], "GET")
		if err != nil {
			return "", nil, err
		}
		branch := parts[2]
		if branch == "" {
			branch = repo.DefaultBranch
		}
		filePath := parts[1]
		f := repo.Files[branch][filePath]
		if f == nil {
			return "", nil, nil
		}
		return buildID(parts[0], escapeIDPart(filePath), branch), f.outputs(repo, filePath, branch, state), nil
	})
	t.delete = func(p *provider, id string, state plain) error {
		return githubChange(p, func(w *githubWorld, s ghSession) error {
			repo, err := w.repo(s, str(state, "repository"), "DELETE")
			if err != nil {
				return err
			}
			branch := str(state, "branch")
			if err := w.checkDirectWrite(repo, branch, "DELETE", fmt.Sprintf("repos/%s/%s/contents/%s", repo.Owner, repo.Name, str(state, "file"))); err != nil {
				return err
			}
			delete(repo.Files[branch], str(state, "file"))
			return nil
		})
	}
	return t
}

// checkDirectWrite: a commit through the contents API to a branch whose protection rule requires pull requests or
// status checks is refused with 409 "Could not update file: ... Changes must be made through a pull request."
// (GitHub's answer quoted in BobAnkh/auto-generate-changelog#78); without enforce_admins an admin token passes.
func (w *githubWorld) checkDirectWrite(repo *ghRepo, branch, method, apiPath string) error {
	for _, bp := range repo.BranchProtections {
		if ok, _ := path.Match(bp.Pattern, branch); !ok {
			continue
		}
		if !boolean(bp.Settings, "enforceAdmins", false) {
			continue
		}
		if len(list(bp.Settings, "requiredPullRequestReviews")) > 0 || len(list(bp.Settings, "requiredStatusChecks")) > 0 {
			return ghError(method, apiPath, 409, "Could not update file: Changes must be made through a pull request.")
		}
	}
	return nil
}

func (f *ghFile) outputs(repo *ghRepo, filePath, branch string, in plain) plain {
	out := plain{}
	for k, v := range in {
		out[k] = v
	}
	out["repository"], out["repositoryId"], out["file"], out["branch"] = repo.Name, float64(repo.ID), filePath, branch
	out["content"], out["sha"], out["commitSha"], out["commitMessage"], out["ref"] = f.Content, f.SHA, f.CommitSHA, f.CommitMessage, branch
	return out
}

// The functions a program may call.

func ghGetRepository(w *githubWorld, s ghSession, args plain) (plain, error) {
	owner, name := s.owner, str(args, "name")
	if full := str(args, "fullName"); full != "" {
		parts := strings.SplitN(full, "/", 2)
		if len(parts) != 2 {
			return nil, fmt.Errorf("%s is not a valid repository name", full)
		}
		owner, name = parts[0], parts[1]
	}
	if name == "" {
		return nil, fmt.Errorf("one of %q or %q has to be provided", "full_name", "name")
	}
	repo, err := w.repo(ghSession{owner: owner, token: s.token}, name, "GET")
	if err != nil {
		return nil, err
	}
	visibility := "public"
	if repo.Private {
		visibility = "private"
	}
	return plain{
		"id": repo.Owner + "/" + repo.Name, "name": repo.Name, "fullName": repo.Owner + "/" + repo.Name, "nodeId": repo.NodeID,
		"repoId": float64(repo.ID), "private": repo.Private, "visibility": visibility, "defaultBranch": repo.DefaultBranch,
	}, nil
}

func ghGetUser(w *githubWorld, _ ghSession, args plain) (plain, error) {
	login := str(args, "username")
	a := w.Accounts[login]
	if a == nil || a.Type != "User" {
		return nil, ghError("GET", "users/"+login, 404, "Not Found")
	}
	return plain{"id": itoa(a.ID), "login": login, "username": login, "nodeId": "U_kgDO" + itoa(a.ID)}, nil
}

func ghGetOrganization(w *githubWorld, _ ghSession, args plain) (plain, error) {
	login := str(args, "name")
	a := w.Accounts[login]
	if a == nil || a.Type != "Organization" {
		return nil, ghError("GET", "orgs/"+login, 404, "Not Found")
	}
	return plain{"id": itoa(a.ID), "login": login, "name": login, "orgname": login, "plan": a.Plan, "nodeId": "O_kgDO" + itoa(a.ID)}, nil
}

func ghGetTeam(w *githubWorld, s ghSession, args plain) (plain, error) {
	key := s.owner + "/" + str(args, "slug")
	t := w.Teams[key]
	if t == nil {
		return nil, ghError("GET", "orgs/"+s.owner+"/teams/"+str(args, "slug"), 404, "Not Found")
	}
	return plain{"id": itoa(t.ID), "slug": t.Slug, "name": t.Slug, "nodeId": "T_kwDO" + itoa(t.ID)}, nil
}
