package main

import (
	"fmt"
	"sort"
	"strings"
)

// ProjectEnvironmentVariable: TPV vercel/resource_project_environment_variable.go (schema, ModifyPlan, CRUD,
// ImportState), vercel/environment_variable_sensitivity.go, client/environment_variable.go.

var vercelTargets = []string{"production", "preview", "development"}

func vercelVariableType() *resourceType {
	t := &resourceType{
		token: vercelVariableToken,
		// RequiresReplace: key, project_id, sensitive, custom_environment_ids (and id); team_id if configured.
		// value, target, git_branch and comment update in place.
		replaceOn:       []string{"key", "projectId", "sensitive", "customEnvironmentIds", "teamId"},
		keepWhenOmitted: []string{"targets", "customEnvironmentIds", "teamId", "comment"},
		unordered:       []string{"targets", "customEnvironmentIds"},
		// value and value_wo are Sensitive.
		secretOut: []string{"value", "valueWo"},
		computed:  []string{"id", "teamId", "comment", "targets", "customEnvironmentIds"},
		check:     checkVercelVariable,
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := vercelWrite(p, func(w *vercelWorld) (plain, error) {
			team, err := p.teamOf(w, in)
			if err != nil {
				return nil, variableError("creating", err)
			}
			proj, ok := w.Projects[str(in, "projectId")]
			if !ok || proj.TeamID != team {
				// Create: GetProject first; NotFound gives this message.
				return nil, fmt.Errorf("Error creating project environment variable: Could not find project, please make sure both the project_id and team_id match the project and team you wish to deploy to.")
			}
			env := newVercelEnv(in, proj)
			if err := w.checkVariableWrite(env); err != nil {
				return nil, variableError("creating", err)
			}
			w.Env[env.ID] = env
			return env.outputs(in), nil
		})
		return created(str(out, "id"), out, err)
	}
	t.read = vercelRead(func(w *vercelWorld, id string, state plain) (string, plain, error) {
		envID := id
		if state == nil {
			// ImportState: "team_id/project_id/env_id" or "project_id/env_id"; a sensitive value imports as null.
			parts := strings.Split(id, "/")
			if len(parts) < 2 || len(parts) > 3 {
				return "", nil, fmt.Errorf("Error importing project environment variable: Invalid id '%s' specified. should be in format \"team_id/project_id/env_id\" or \"project_id/env_id\"", id)
			}
			envID = parts[len(parts)-1]
			env, ok := w.Env[envID]
			if !ok || env.ProjectID != parts[len(parts)-2] {
				return "", nil, fmt.Errorf("Error reading project environment variable: Could not get project environment variable %s, unexpected error: not_found - Environment Variable not found", id)
			}
			return env.ID, env.outputs(nil), nil
		}
		env, ok := w.Env[envID]
		if !ok {
			return "", nil, nil // NotFound: RemoveResource
		}
		return env.ID, env.outputs(state), nil
	})
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) {
		return vercelWrite(p, func(w *vercelWorld) (plain, error) {
			env, ok := w.Env[id]
			if !ok {
				return nil, variableError("updating", apiError("not_found", "Environment Variable not found"))
			}
			next := newVercelEnv(news, w.Projects[env.ProjectID])
			next.ID, next.ProjectID, next.TeamID, next.Key = env.ID, env.ProjectID, env.TeamID, env.Key
			if news["targets"] == nil {
				next.Target = env.Target
			}
			if err := w.checkVariableWrite(next); err != nil {
				return nil, variableError("updating", err)
			}
			w.Env[id] = next
			return next.outputs(news), nil
		})
	}
	t.delete = func(p *provider, id string, state plain) error {
		return vercelUpdate(p, func(w *vercelWorld) error {
			delete(w.Env, id) // NotFound is not an error
			return nil
		})
	}
	return t
}

func variableError(doing string, err error) error {
	verb := strings.TrimSuffix(doing, "ing") + "e"
	return fmt.Errorf("Error %s project environment variable: Could not %s project environment variable, unexpected error: %w", doing, verb, err)
}

func newVercelEnv(in plain, proj *vercelProject) *vercelEnv {
	value := str(in, "value")
	if value == "" {
		value = str(in, "valueWo")
	}
	env := &vercelEnv{
		ID: randomID("", 16), Key: str(in, "key"), Target: strings_(in["targets"]), Comment: str(in, "comment"),
		CustomEnvironmentIDs: strings_(in["customEnvironmentIds"]), Digest: digestOf(value),
	}
	if proj != nil {
		env.ProjectID, env.TeamID = proj.ID, proj.TeamID
	}
	sort.Strings(env.Target)
	if b, ok := in["gitBranch"].(string); ok {
		env.GitBranch = &b
	}
	// toCreateEnvironmentVariableRequest: sensitive -> type "sensitive", else "encrypted". The API never returns a
	// sensitive value; an encrypted one is read back decrypted (ListEnvironmentVariablesPage, decrypt=true).
	if boolean(in, "sensitive", true) {
		env.Type = "sensitive"
	} else {
		env.Type = "encrypted"
		env.Value = &value
	}
	return env
}

// outputs: convertResponseToProjectEnvironmentVariable. The value comes from the API for an encrypted variable and
// from the given state for a sensitive one (so drift of a sensitive value is invisible); with no value in the
// state (an import) it stays null.
func (env *vercelEnv) outputs(state plain) plain {
	out := plain{
		"id": env.ID, "projectId": env.ProjectID, "teamId": env.TeamID, "key": env.Key, "sensitive": env.Type == "sensitive",
		"targets": toAnyList(env.Target), "customEnvironmentIds": toAnyList(env.CustomEnvironmentIDs), "comment": env.Comment,
	}
	if env.GitBranch != nil {
		out["gitBranch"] = *env.GitBranch
	}
	switch v, had := state["value"]; {
	case !had || v == nil:
		if state == nil && env.Type != "sensitive" && env.Value != nil {
			out["value"] = *env.Value // ImportState reads an encrypted value back
		}
	case env.Type == "sensitive":
		out["value"] = v
	case env.Value != nil:
		out["value"] = *env.Value
	}
	return out
}

func toAnyList(s []string) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

// checkVariableWrite: the API's rules for a variable being created or changed.
func (w *vercelWorld) checkVariableWrite(env *vercelEnv) error {
	// A git branch only on a Preview variable: "`target` must be \"preview\" when specifying a `gitBranch`" (the
	// API's answer seen through the Vercel CLI, colophon-group/jobseek#6769).
	if env.GitBranch != nil && (len(env.Target) != 1 || env.Target[0] != "preview") {
		return apiError("bad_request", "`target` must be \"preview\" when specifying a `gitBranch`")
	}
	for _, other := range w.Env {
		if other.ID == env.ID || other.ProjectID != env.ProjectID || other.Key != env.Key || !stringPtrEqual(other.GitBranch, env.GitBranch) {
			continue
		}
		if overlap := overlapping(other.Target, env.Target); len(overlap) > 0 {
			// Same key, same git branch, overlapping targets: 400 ENV_CONFLICT (client/environment_variable.go
			// conflictingEnvVar, findConflictingEnvID; message as in vercel/vercel#16588; older API versions
			// answered ENV_ALREADY_EXISTS, pulumiverse/pulumi-vercel#118, TPV#192, TPV#255).
			branch := "undefined"
			if env.GitBranch != nil {
				branch = *env.GitBranch
			}
			return fmt.Errorf("%w the conflicting environment variable ID is %s/%s", apiError("ENV_CONFLICT",
				fmt.Sprintf("A variable with the name `%s` already exists for the target %s on branch %s", env.Key, strings.Join(overlap, ","), branch)), env.ProjectID, other.ID)
		}
	}
	return nil
}

func stringPtrEqual(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func overlapping(a, b []string) []string {
	var out []string
	for _, x := range a {
		if inSet(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// checkVercelVariable: the schema validators and ModifyPlan of resource_project_environment_variable.go.
func checkVercelVariable(p *provider, news, olds plain) []checkFailure {
	var f []checkFailure
	for _, k := range []string{"projectId", "key", "sensitive"} {
		if _, ok := news[k]; !ok {
			f = append(f, checkFailure{k, fmt.Sprintf("Missing required argument: The argument %q is required, but no definition was found.", k)})
		}
	}
	_, hasValue := news["value"]
	_, hasValueWo := news["valueWo"]
	if hasValue == hasValueWo {
		f = append(f, checkFailure{"value", "Invalid Attribute Combination: Exactly one of these attributes must be configured: [value,value_wo]"})
	}
	targets, targetsKnown := news["targets"].([]any)
	for _, t := range targets {
		if s, ok := t.(string); ok && !inSet(vercelTargets, s) {
			f = append(f, checkFailure{"targets", fmt.Sprintf("Attribute target[Value(%q)] value must be one of: [\"production\" \"preview\" \"development\"], got: %q", s, s)})
		}
	}
	if news["targets"] == nil && news["customEnvironmentIds"] == nil {
		f = append(f, checkFailure{"targets", "Invalid Attribute Combination: At least one attribute out of [custom_environment_ids,target] must be specified"})
	}
	if ids, ok := news["customEnvironmentIds"].([]any); ok && len(ids) == 0 {
		f = append(f, checkFailure{"customEnvironmentIds", "Attribute custom_environment_ids set must contain at least 1 elements, got: 0"})
	}
	if c, ok := news["comment"].(string); ok && len(c) > 1000 {
		f = append(f, checkFailure{"comment", fmt.Sprintf("Attribute comment string length must be between 0 and 1000, got: %d", len(c))})
	}
	sensitive, sensitiveKnown := news["sensitive"].(bool)
	explicitlyNonSensitive := sensitiveKnown && !sensitive
	targetSet := strings_(targets)
	// ModifyPlan: a variable targeting development must say sensitive = false.
	if targetsKnown && inSet(targetSet, "development") && !explicitlyNonSensitive {
		f = append(f, checkFailure{"sensitive", "Project Environment Variable Invalid: Environment variables targeting `development` must explicitly set `sensitive = false`."})
		return f
	}
	// ModifyPlan + shouldValidateSensitiveEnvironmentVariablePolicy: only for a new variable (no id yet) that is
	// explicitly non-sensitive and not development-only (or has custom environments), the team's policy is read.
	devOnly := targetsKnown && len(targetSet) == 1 && targetSet[0] == "development"
	customEnvs, _ := news["customEnvironmentIds"].([]any)
	if len(olds) == 0 && explicitlyNonSensitive && (!devOnly || len(customEnvs) > 0) {
		if policy, err := p.teamPolicy(news); err != nil {
			f = append(f, checkFailure{"sensitive", "Error validating project environment variable: Could not validate project environment variable, unexpected error: " + err.Error()})
		} else if policy == "on" {
			f = append(f, checkFailure{"sensitive", "Project Environment Variable Invalid: This team has a policy that forces environment variables targeting `preview`, `production`, or custom environments to be sensitive. Set `sensitive = true` in your configuration."})
		}
	}
	return f
}

// teamPolicy is client.Team(teamID): the resource's team (a GET), or else the provider's team, whose settings it
// read at Configure; with neither, the empty Team, whose policy is off.
func (p *provider) teamPolicy(in plain) (string, error) {
	if isUnknown(in["teamId"]) {
		return "", nil
	}
	team := p.teamNamed(in)
	if team == "" {
		return "", nil
	}
	w, err := vercelView(p)
	if err != nil {
		return "", err
	}
	id := w.team(team)
	if id == "" {
		return "", apiError("not_found", "Team not found")
	}
	return w.Teams[id].SensitiveEnvironmentVariablePolicy, nil
}
