package main

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// RepositoryEnvironment, RepositoryEnvironmentDeploymentPolicy, ActionsEnvironmentSecret and
// ActionsEnvironmentVariable: TPG github/resource_github_repository_environment.go,
// resource_github_repository_environment_deployment_policy.go, resource_github_actions_environment_secret.go,
// resource_github_actions_environment_variable.go, util_diff.go.

func envPath(s ghSession, repo, env string) string {
	return fmt.Sprintf("repos/%s/%s/environments/%s", s.owner, repo, url.PathEscape(env))
}

func ghEnvironmentType() *resourceType {
	t := &resourceType{
		token: ghEnvironmentToken,
		// environment is ForceNew; a changed repository is a new resource unless it is a rename (diffRepository).
		replaceOn: []string{"environment", "repository"},
		unordered: []string{"reviewers.users", "reviewers.teams"},
		// can_admins_bypass Default true, prevent_self_review Default false.
		defaults: plain{"canAdminsBypass": true, "preventSelfReview": false},
		computed: []string{"repositoryId"},
		check:    checkGhEnvironment,
	}
	// put: PUT creates or updates; an environment that exists is taken over as it is.
	put := func(p *provider, in plain) (plain, error) {
		return githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, err := w.repo(s, str(in, "repository"), "PUT")
			if err != nil {
				return nil, err
			}
			name := str(in, "environment")
			env := repo.Environments[name]
			if env == nil {
				env = &ghEnvironment{Name: name, Policies: map[string]*ghPolicy{}, Secrets: map[string]*ghSecret{}, Variables: map[string]*ghVariable{}}
			}
			if err := w.putEnvironment(s, repo, env, withDefaults(t, in)); err != nil {
				return nil, err
			}
			repo.Environments[name] = env
			return env.outputs(repo), nil
		})
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := put(p, in)
		return created(buildID(str(in, "repository"), escapeIDPart(str(in, "environment"))), out, err)
	}
	t.read = githubRead(func(w *githubWorld, s ghSession, id string, state plain) (string, plain, error) {
		parts, ok := parseID(id, 2)
		if !ok {
			return "", nil, fmt.Errorf("invalid id (%s), expected format <repository>:<environment>", id)
		}
		repo, err := w.repo(s, parts[0], "GET")
		if err != nil {
			if state == nil {
				return "", nil, fmt.Errorf("failed to retrieve repository %s: %w", parts[0], err)
			}
			return "", nil, nil // GET of the environment is a 404 too: removed from state
		}
		env := repo.Environments[parts[1]]
		if env == nil {
			return "", nil, nil // 404: removed from state
		}
		out := env.outputs(repo)
		if state != nil {
			// Read sets prevent_self_review and reviewers only from a required_reviewers rule; without one the state's
			// values stay.
			if len(env.Reviewers) == 0 {
				if v, ok := state["preventSelfReview"]; ok {
					out["preventSelfReview"] = v
				}
				if v, ok := state["reviewers"]; ok {
					out["reviewers"] = v
				}
			}
		}
		return id, out, nil
	})
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) {
		if err := checkReviewerTotal(news); err != nil {
			return nil, err
		}
		return put(p, news)
	}
	t.delete = func(p *provider, id string, state plain) error {
		return githubChange(p, func(w *githubWorld, s ghSession) error {
			repo, err := w.repo(s, str(state, "repository"), "DELETE")
			if err != nil {
				return err
			}
			// An environment's secrets, variables and branch policies go with it.
			delete(repo.Environments, str(state, "environment"))
			return nil
		})
	}
	return t
}

// checkGhEnvironment: the schema's validators (wait_timer IntBetween(0, 43200); users and teams MaxItems 6 each).
func checkGhEnvironment(p *provider, news, olds plain) []checkFailure {
	var f []checkFailure
	if n, ok := news["waitTimer"].(float64); ok && (n < 0 || n > 43200) {
		f = append(f, checkFailure{"waitTimer", fmt.Sprintf("expected wait_timer to be in the range (0 - 43200), got %v", n)})
	}
	if r := first(news, "reviewers"); r != nil {
		for _, k := range []string{"users", "teams"} {
			if l := list(r, k); len(l) > 6 {
				f = append(f, checkFailure{"reviewers[0]." + k, fmt.Sprintf("Too many %s elements: No more than 6 %q blocks are allowed", k, k)})
			}
		}
	}
	if len(list(news, "reviewers")) > 1 {
		f = append(f, checkFailure{"reviewers", "Too many reviewers blocks: No more than 1 \"reviewers\" blocks are allowed"})
	}
	return f
}

// checkReviewerTotal: resourceGithubRepositoryEnvironmentDiff, for an existing environment only (d.Id() != "").
func checkReviewerTotal(news plain) error {
	if r := first(news, "reviewers"); r != nil && len(list(r, "users"))+len(list(r, "teams")) > 6 {
		return fmt.Errorf("a maximum of 6 reviewers (users and teams combined) can be set for an environment")
	}
	return nil
}

// putEnvironment: PUT /repos/{owner}/{repo}/environments/{name} (createUpdateEnvironmentData), with GitHub's rules.
func (w *githubWorld) putEnvironment(s ghSession, repo *ghRepo, env *ghEnvironment, in plain) error {
	path := envPath(s, repo.Name, env.Name)
	var reviewers []ghReviewer
	if r := first(in, "reviewers"); r != nil {
		for _, id := range numbers(r["teams"]) {
			reviewers = append(reviewers, ghReviewer{"Team", int64(id)})
		}
		for _, id := range numbers(r["users"]) {
			reviewers = append(reviewers, ghReviewer{"User", int64(id)})
		}
	}
	plan := w.planOf(repo.Owner)
	// "Environments, environment secrets, and deployment branches" in private repositories need Pro, Team or
	// Enterprise; wait timers and required reviewers there need Enterprise (docs.github.com, "Managing environments
	// for deployment"). The API's answers: TPG#1262 / pulumi/pulumi-github#251 (branch gate),
	// Azure/ALZ-PowerShell-Module#193 and backstage/backstage#28977 (reviewers, on the Team plan).
	if repo.Private {
		if plan == "free" {
			return ghError("PUT", path, 422, "Fail to create protected rule, please ensure billing plan include protected branch gate.")
		}
		if plan != "enterprise" && (len(reviewers) > 0 || number(in, "waitTimer", 0) > 0) {
			return ghError("PUT", path, 422, "Failed to create the environment protection rule. Please ensure the billing plan supports the required reviewers protection rule.")
		}
	}
	// "You can list up to six users or teams as reviewers" (docs.github.com, REST "Create or update an environment").
	if len(reviewers) > 6 {
		return ghError("PUT", path, 422, "Invalid request.\n\nreviewers: a maximum of 6 reviewers can be set.")
	}
	for _, r := range reviewers {
		if !w.reviewerExists(repo, r) {
			return ghError("PUT", path, 422, fmt.Sprintf("Failed to create the environment protection rule. Could not find a %s with id %d who can review deployments of %s/%s.", strings.ToLower(r.Type), r.ID, repo.Owner, repo.Name))
		}
	}
	preventSelfReview := boolean(in, "preventSelfReview", false)
	// "Required reviewers must have at least one reviewer to set prevent_self_review" (the API's answer quoted in
	// github-community-projects/safe-settings#628).
	if preventSelfReview && len(reviewers) == 0 {
		return ghError("PUT", path, 422, "Failed to create or update the environment protection rule. Required reviewers must have at least one reviewer to set prevent_self_review.")
	}
	var policy *ghBranchPolicy
	if bp := object(in, "deploymentBranchPolicy"); bp != nil {
		policy = &ghBranchPolicy{ProtectedBranches: boolean(bp, "protectedBranches", false), CustomBranchPolicies: boolean(bp, "customBranchPolicies", false)}
		// "If protected_branches is true, custom_branch_policies must be false; if protected_branches is false,
		// custom_branch_policies must be true" (REST "Create or update an environment", deployment_branch_policy).
		if policy.ProtectedBranches == policy.CustomBranchPolicies {
			return ghError("PUT", path, 422, "Invalid request.\n\nOnly one of protected_branches and custom_branch_policies can be true, and one must be.")
		}
	}
	env.WaitTimer = int(number(in, "waitTimer", 0))
	env.CanAdminsBypass = boolean(in, "canAdminsBypass", true)
	env.PreventSelfReview = preventSelfReview
	env.Reviewers = reviewers
	if policy == nil || !policy.CustomBranchPolicies {
		// Without custom branch policies the environment's branch and tag policies are gone.
		env.Policies = map[string]*ghPolicy{}
	}
	env.DeploymentBranchPolicy = policy
	return nil
}

func (w *githubWorld) reviewerExists(repo *ghRepo, r ghReviewer) bool {
	if r.Type == "Team" {
		for _, t := range w.Teams {
			if t.ID == r.ID && t.Org == repo.Owner {
				return true
			}
		}
		return false
	}
	for login, a := range w.Accounts {
		if a.ID == r.ID && a.Type == "User" {
			return login == repo.Owner || repo.Collaborators[login] != "" || w.Accounts[repo.Owner] != nil && w.Accounts[repo.Owner].Type == "Organization"
		}
	}
	return false
}

// outputs: resourceGithubRepositoryEnvironmentRead.
func (env *ghEnvironment) outputs(repo *ghRepo) plain {
	out := plain{
		"repository": repo.Name, "repositoryId": float64(repo.ID), "environment": env.Name,
		"canAdminsBypass": env.CanAdminsBypass,
	}
	if env.WaitTimer > 0 {
		out["waitTimer"] = float64(env.WaitTimer)
	}
	if len(env.Reviewers) > 0 {
		users, teams := []any{}, []any{}
		for _, r := range env.Reviewers {
			if r.Type == "Team" {
				teams = append(teams, float64(r.ID))
			} else {
				users = append(users, float64(r.ID))
			}
		}
		out["reviewers"] = []any{plain{"users": users, "teams": teams}}
		out["preventSelfReview"] = env.PreventSelfReview
	}
	if env.DeploymentBranchPolicy != nil {
		out["deploymentBranchPolicy"] = plain{"protectedBranches": env.DeploymentBranchPolicy.ProtectedBranches, "customBranchPolicies": env.DeploymentBranchPolicy.CustomBranchPolicies}
	}
	return out
}

func (w *githubWorld) environment(s ghSession, repoName, envName, method string) (*ghRepo, *ghEnvironment, error) {
	repo, err := w.repo(s, repoName, method)
	if err != nil {
		return nil, nil, err
	}
	env := repo.Environments[envName]
	if env == nil {
		return repo, nil, ghError(method, envPath(s, repoName, envName), 404, "Not Found")
	}
	return repo, env, nil
}

// envChildID is the id of what an environment holds: "<repository>:<environment>:<key>".
func envChildID(in plain, key string) string {
	return buildID(str(in, "repository"), escapeIDPart(str(in, "environment")), key)
}

// envChildRead reads what an environment holds by its envChildID (badID: the provider's refusal of an id of another
// shape). Once the repository is found, a missing environment means the child is gone
// too: a refresh drops it, an import reports the 404. found answers nil for a child that is gone.
func envChildRead(badID func(id string) error, found func(s ghSession, repo *ghRepo, env *ghEnvironment, key string, state plain) (plain, error)) readFunc {
	return githubRead(func(w *githubWorld, s ghSession, id string, state plain) (string, plain, error) {
		parts, ok := parseID(id, 3)
		if !ok {
			return "", nil, badID(id)
		}
		repo, env, err := w.environment(s, parts[0], parts[1], "GET")
		if err != nil {
			if repo != nil && state != nil {
				return "", nil, nil
			}
			return "", nil, err
		}
		out, err := found(s, repo, env, parts[2], state)
		if out == nil || err != nil {
			return "", nil, err
		}
		return id, out, nil
	})
}

// envChildDelete deletes what an environment holds: remove takes it out of env, or refuses.
func envChildDelete(remove func(s ghSession, env *ghEnvironment, state plain) error) func(*provider, string, plain) error {
	return func(p *provider, id string, state plain) error {
		return githubChange(p, func(w *githubWorld, s ghSession) error {
			_, env, err := w.environment(s, str(state, "repository"), str(state, "environment"), "DELETE")
			if err != nil {
				return err
			}
			return remove(s, env, state)
		})
	}
}

func ghPolicyType() *resourceType {
	t := &resourceType{
		token: ghPolicyToken,
		// environment ForceNew; branch_pattern and tag_pattern update in place, but changing one for the other
		// replaces (resourceGithubRepositoryEnvironmentDeploymentPolicyDiff).
		replaceOn: []string{"environment", "repository"},
		computed:  []string{"policyId", "repositoryId"},
		check: func(p *provider, news, olds plain) []checkFailure {
			b, hasB := news["branchPattern"]
			tg, hasT := news["tagPattern"]
			if hasB == hasT {
				return []checkFailure{{"branchPattern", "\"branch_pattern\": one of `branch_pattern,tag_pattern` must be specified"}}
			}
			if s, ok := b.(string); hasB && ok && s == "" || func() bool { s, ok := tg.(string); return hasT && ok && s == "" }() {
				return []checkFailure{{"branchPattern", "expected not empty string"}}
			}
			return nil
		},
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, env, err := w.environment(s, str(in, "repository"), str(in, "environment"), "POST")
			if err != nil {
				return nil, err
			}
			// Branch policies exist only while the environment has custom_branch_policies: true; otherwise the API
			// answers 404 (TPG PR#1820, which documents it; TPG#922, #1967).
			if env.DeploymentBranchPolicy == nil || !env.DeploymentBranchPolicy.CustomBranchPolicies {
				return nil, ghError("POST", envPath(s, repo.Name, env.Name)+"/deployment-branch-policies", 404, "Not Found")
			}
			pol := &ghPolicy{ID: w.nextID(), Name: str(in, "branchPattern"), Type: "branch"}
			if pol.Name == "" {
				pol.Name, pol.Type = str(in, "tagPattern"), "tag"
			}
			for _, other := range env.Policies {
				if other.Name == pol.Name && other.Type == pol.Type {
					// A policy whose pattern exists already: the API answers 303 ("Response if the same branch name
					// pattern already exists", REST "Create a deployment branch policy"), which go-github hands back
					// as an empty policy, and the provider stores policy_id 0 without an error (TPG#3611). Nothing is
					// created; the next refresh finds no policy 0 and drops it from the state, so every refreshed
					// plan creates it again.
					pol.ID = 0
					return pol.outputs(repo, env), nil
				}
			}
			env.Policies[itoa(pol.ID)] = pol
			return pol.outputs(repo, env), nil
		})
		return created(envChildID(in, itoa(int64(number(out, "policyId", 0)))), out, err)
	}
	t.read = envChildRead(func(id string) error {
		return fmt.Errorf("invalid id (%s), expected format <repository>:<environment>:<policy_id>", id)
	}, func(s ghSession, repo *ghRepo, env *ghEnvironment, key string, state plain) (plain, error) {
		if pol := env.Policies[key]; pol != nil {
			return pol.outputs(repo, env), nil
		}
		return nil, nil
	})
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) {
		return githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, env, err := w.environment(s, str(news, "repository"), str(news, "environment"), "PUT")
			if err != nil {
				return nil, err
			}
			pol := env.Policies[itoa(int64(number(olds, "policyId", 0)))]
			if pol == nil {
				return nil, ghError("PUT", envPath(s, repo.Name, env.Name)+"/deployment-branch-policies", 404, "Not Found")
			}
			if b := str(news, "branchPattern"); b != "" {
				pol.Name = b
			} else {
				pol.Name = str(news, "tagPattern")
			}
			return pol.outputs(repo, env), nil
		})
	}
	t.delete = envChildDelete(func(s ghSession, env *ghEnvironment, state plain) error {
		id := itoa(int64(number(state, "policyId", 0)))
		if env.Policies[id] == nil {
			// resourceGithubRepositoryEnvironmentDeploymentPolicyDelete returns the API's error as it is.
			return ghError("DELETE", envPath(s, str(state, "repository"), env.Name)+"/deployment-branch-policies/"+id, 404, "Not Found")
		}
		delete(env.Policies, id)
		return nil
	})
	return t
}

func (pol *ghPolicy) outputs(repo *ghRepo, env *ghEnvironment) plain {
	out := plain{"repository": repo.Name, "repositoryId": float64(repo.ID), "environment": env.Name, "policyId": float64(pol.ID)}
	if pol.Type == "branch" {
		out["branchPattern"] = pol.Name
	} else {
		out["tagPattern"] = pol.Name
	}
	return out
}

// secretNameRegexp, and no GITHUB_ prefix: validateSecretNameFunc (TPG github/util.go).
var secretNameRegexp = regexp.MustCompile("^[a-zA-Z_][a-zA-Z0-9_]*$")

func checkSecretName(key string, v any) []checkFailure {
	name, ok := v.(string)
	if !ok {
		return nil
	}
	var f []checkFailure
	if !secretNameRegexp.MatchString(name) {
		f = append(f, checkFailure{key, "secret names can only contain alphanumeric characters or underscores and must not start with a number"})
	}
	if strings.HasPrefix(strings.ToUpper(name), "GITHUB_") {
		f = append(f, checkFailure{key, "secret names must not start with the GITHUB_ prefix"})
	}
	return f
}

var secretValueKeys = []string{"value", "valueEncrypted", "encryptedValue", "plaintextValue"}

func ghEnvSecretType() *resourceType {
	t := &resourceType{
		token: ghEnvSecretToken,
		// environment and secret_name are ForceNew; the value updates in place.
		replaceOn: []string{"environment", "secretName", "repository"},
		secretOut: secretValueKeys,
		computed:  []string{"repositoryId", "keyId", "createdAt", "updatedAt", "remoteUpdatedAt"},
		// keyId is Optional+Computed.
		keepWhenOmitted: []string{"keyId"},
		check: func(p *provider, news, olds plain) []checkFailure {
			f := checkSecretName("secretName", news["secretName"])
			set := 0
			for _, k := range secretValueKeys {
				if _, ok := news[k]; ok {
					set++
				}
			}
			if set != 1 {
				f = append(f, checkFailure{"value", "\"value\": only one of `encrypted_value,plaintext_value,value,value_encrypted` can be specified, and one must be"})
			}
			return f
		},
		// diffSecret: GitHub's updated_at differing from the one recorded at the last write means someone set the
		// secret outside the program: updated_at becomes unknown, which plans an update that writes it again.
		extraDiff: func(olds, news plain) []string {
			remote, recorded := str(olds, "remoteUpdatedAt"), str(olds, "updatedAt")
			if remote != "" && recorded != "" && remote != recorded {
				return []string{"updatedAt"}
			}
			return nil
		},
	}
	write := func(p *provider, in plain) (plain, error) {
		return githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, env, err := w.environment(s, str(in, "repository"), str(in, "environment"), "PUT")
			if err != nil {
				return nil, err
			}
			value := ""
			for _, k := range secretValueKeys {
				if v := str(in, k); v != "" {
					value = v
				}
			}
			name := str(in, "secretName")
			sec := env.Secrets[name]
			stamp := now()
			if sec == nil {
				sec = &ghSecret{CreatedAt: stamp}
				env.Secrets[name] = sec
			}
			sec.UpdatedAt, sec.Digest = stamp, digestOf(value)
			out := clone(in)
			out["repositoryId"] = float64(repo.ID)
			out["keyId"] = "emulated-key-" + itoa(repo.ID)
			out["createdAt"], out["updatedAt"], out["remoteUpdatedAt"] = sec.CreatedAt, sec.UpdatedAt, sec.UpdatedAt
			return out, nil
		})
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := write(p, in)
		return created(envChildID(in, str(in, "secretName")), out, err)
	}
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) { return write(p, news) }
	t.read = envChildRead(func(id string) error { return unexpectedID(id, 3) }, func(s ghSession, repo *ghRepo, env *ghEnvironment, key string, state plain) (plain, error) {
		sec := env.Secrets[key]
		if sec == nil {
			if state == nil {
				return nil, ghError("GET", envPath(s, repo.Name, env.Name)+"/secrets/"+key, 404, "Not Found")
			}
			return nil, nil
		}
		// The value is never read back: the state keeps what was written (nothing, after an import).
		out := plain{}
		for k, v := range state {
			out[k] = v
		}
		out["repository"], out["environment"], out["secretName"], out["repositoryId"] = repo.Name, env.Name, key, float64(repo.ID)
		if str(out, "createdAt") == "" {
			out["createdAt"] = sec.CreatedAt
		}
		if str(out, "updatedAt") == "" {
			out["updatedAt"] = sec.UpdatedAt
		}
		out["remoteUpdatedAt"] = sec.UpdatedAt
		return out, nil
	})
	t.delete = envChildDelete(func(_ ghSession, env *ghEnvironment, state plain) error {
		delete(env.Secrets, str(state, "secretName"))
		return nil
	})
	return t
}

func ghEnvVariableType() *resourceType {
	t := &resourceType{
		token:     ghEnvVariableToken,
		replaceOn: []string{"environment", "variableName", "repository"},
		computed:  []string{"repositoryId", "createdAt", "updatedAt"},
		check: func(p *provider, news, olds plain) []checkFailure {
			return checkSecretName("variableName", news["variableName"])
		},
	}
	write := func(p *provider, in plain, creating bool) (plain, error) {
		return githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, env, err := w.environment(s, str(in, "repository"), str(in, "environment"), "POST")
			if err != nil {
				return nil, err
			}
			name := str(in, "variableName")
			v := env.Variables[name]
			if creating && v != nil {
				// POST of an existing variable: 409 "Already exists" (REST "Create an environment variable").
				return nil, ghError("POST", envPath(s, repo.Name, env.Name)+"/variables", 409, "Already exists - Variable already exists")
			}
			stamp := now()
			if v == nil {
				v = &ghVariable{CreatedAt: stamp}
				env.Variables[name] = v
			}
			v.Value, v.UpdatedAt = str(in, "value"), stamp
			return v.outputs(repo, env, name), nil
		})
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := write(p, in, true)
		return created(envChildID(in, str(in, "variableName")), out, err)
	}
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) { return write(p, news, false) }
	t.read = envChildRead(func(id string) error { return unexpectedID(id, 3) }, func(s ghSession, repo *ghRepo, env *ghEnvironment, key string, state plain) (plain, error) {
		if v := env.Variables[key]; v != nil {
			return v.outputs(repo, env, key), nil
		}
		return nil, nil
	})
	t.delete = envChildDelete(func(_ ghSession, env *ghEnvironment, state plain) error {
		delete(env.Variables, str(state, "variableName"))
		return nil
	})
	return t
}

func (v *ghVariable) outputs(repo *ghRepo, env *ghEnvironment, name string) plain {
	return plain{"repository": repo.Name, "repositoryId": float64(repo.ID), "environment": env.Name, "variableName": name, "value": v.Value, "createdAt": v.CreatedAt, "updatedAt": v.UpdatedAt}
}

// ghGetRepositoryEnvironments: TPG data_source_github_repository_environments.go (name and node_id of each).
func ghGetRepositoryEnvironments(w *githubWorld, s ghSession, args plain) (plain, error) {
	repo, err := w.repo(s, str(args, "repository"), "GET")
	if err != nil {
		return nil, err
	}
	envs := []any{}
	for _, name := range sortedKeys(repo.Environments) {
		envs = append(envs, plain{"name": name, "nodeId": "EN_kwDO" + digestOf(repo.Name + "/" + name)[7:19]})
	}
	return plain{"id": repo.Name, "repository": repo.Name, "environments": envs}, nil
}

// ghGetRepositoryEnvironmentDeploymentPolicies: TPG data_source_github_repository_environment_deployment_policies.go
// (ListDeploymentBranchPolicies: type and pattern, no id). An environment without custom branch policies answers 404
// (github-community-projects/safe-settings#746), as does one that does not exist; the data source returns the error.
func ghGetRepositoryEnvironmentDeploymentPolicies(w *githubWorld, s ghSession, args plain) (plain, error) {
	repo, env, err := w.environment(s, str(args, "repository"), str(args, "environment"), "GET")
	if err != nil {
		return nil, err
	}
	if env.DeploymentBranchPolicy == nil || !env.DeploymentBranchPolicy.CustomBranchPolicies {
		return nil, ghError("GET", envPath(s, repo.Name, env.Name)+"/deployment-branch-policies", 404, "Not Found")
	}
	policies := []any{}
	for _, id := range sortedKeys(env.Policies) {
		policies = append(policies, plain{"type": env.Policies[id].Type, "pattern": env.Policies[id].Name})
	}
	return plain{"id": buildID(repo.Name, escapeIDPart(env.Name)), "repository": repo.Name, "environment": env.Name, "policies": policies}, nil
}
