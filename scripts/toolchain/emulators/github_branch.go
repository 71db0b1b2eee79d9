package main

import (
	"fmt"
	"strings"
)

// BranchProtection: TPG github/resource_github_branch_protection.go and util_v4_branch_protection.go (GraphQL
// branchProtectionRule). RepositoryRuleset: resource_github_repository_ruleset.go, util_ruleset_validation.go.

var branchProtectionSets = []string{"forcePushBypassers", "requiredPullRequestReviews.dismissalRestrictions", "requiredPullRequestReviews.pullRequestBypassers", "requiredStatusChecks.contexts", "restrictPushes.pushAllowances"}

func ghBranchProtectionType() *resourceType {
	t := &resourceType{
		token: ghBranchProtToken,
		// repository_id is ForceNew. Every boolean defaults to false.
		replaceOn: []string{"repositoryId"},
		unordered: branchProtectionSets,
		defaults:  plain{"allowsDeletions": false, "allowsForcePushes": false, "enforceAdmins": false, "requireSignedCommits": false, "requiredLinearHistory": false, "requireConversationResolution": false, "lockBranch": false},
		check: func(p *provider, news, olds plain) []checkFailure {
			var f []checkFailure
			for _, r := range list(news, "requiredPullRequestReviews") {
				if n, ok := r.(map[string]any)["requiredApprovingReviewCount"].(float64); ok && (n < 0 || n > 6) {
					f = append(f, checkFailure{"requiredPullRequestReviews[0].requiredApprovingReviewCount", fmt.Sprintf("expected required_approving_review_count to be in the range (0 - 6), got %v", n)})
				}
			}
			return f
		},
	}
	// put: a new rule (id "") or a change of rule id.
	put := func(p *provider, in plain, id string) (plain, error) {
		return githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, err := w.repoByNameOrNodeID(s, str(in, "repositoryId"), "POST")
			if err != nil {
				return nil, err
			}
			bp := repo.BranchProtections[id]
			if id != "" && bp == nil {
				return nil, fmt.Errorf("Could not resolve to a node with the global id of '%s'", id)
			}
			pattern := str(in, "pattern")
			for oid, other := range repo.BranchProtections {
				// GitHub keeps one rule per pattern: a second one is refused ("Name already protected: <pattern>").
				if oid != id && other.Pattern == pattern {
					return nil, fmt.Errorf("Name already protected: %s", pattern)
				}
			}
			settings, err := w.protectionSettings(s, repo, in)
			if err != nil {
				return nil, err
			}
			if bp == nil {
				bp = &ghBranchProtection{ID: randomID("BPR_kwDO", 12)}
				repo.BranchProtections[bp.ID] = bp
			}
			bp.Pattern, bp.Settings = pattern, settings
			return bp.outputs(str(in, "repositoryId")), nil
		})
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := put(p, in, "")
		return created(str(out, "id"), out, err)
	}
	t.read = githubRead(func(w *githubWorld, s ghSession, id string, state plain) (string, plain, error) {
		if state == nil {
			// resourceGithubBranchProtectionImport: "<repository>:<pattern>"; repository_id becomes the repository's
			// node id (getRepositoryID), not the name a program may have given.
			parts, ok := parseID(id, 2)
			if !ok {
				return "", nil, unexpectedID(id, 2)
			}
			repo, err := w.repo(s, parts[0], "GET")
			if err != nil {
				return "", nil, err
			}
			for _, bp := range repo.BranchProtections {
				if bp.Pattern == parts[1] {
					return bp.ID, bp.outputs(repo.NodeID), nil
				}
			}
			return "", nil, fmt.Errorf("could not find a branch protection rule with the pattern '%s'", parts[1])
		}
		for _, repo := range w.Repos {
			if bp, ok := repo.BranchProtections[id]; ok {
				return id, bp.outputs(str(state, "repositoryId")), nil
			}
		}
		return "", nil, nil // "Could not resolve to a node with the global id": removed from state
	})
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) { return put(p, news, id) }
	t.delete = func(p *provider, id string, state plain) error {
		return githubChange(p, func(w *githubWorld, s ghSession) error {
			repo, err := w.repoByNameOrNodeID(s, str(state, "repositoryId"), "POST")
			if err != nil {
				return err
			}
			delete(repo.BranchProtections, id)
			return nil
		})
	}
	return t
}

// repoByNameOrNodeID: getRepositoryID takes a node id or a name in the owner's account.
func (w *githubWorld) repoByNameOrNodeID(s ghSession, nameOrID, method string) (*ghRepo, error) {
	for _, r := range w.Repos {
		if r.NodeID == nameOrID {
			return w.repo(s, r.Name, method)
		}
	}
	return w.repo(s, nameOrID, method)
}

// protectionSettings: what GitHub stores of a rule, with its rules for organization and plan.
func (w *githubWorld) protectionSettings(s ghSession, repo *ghRepo, in plain) (plain, error) {
	// Protected branches in private repositories need GitHub Pro, Team or Enterprise (docs.github.com, "About
	// protected branches"); the API answers 403 "Upgrade to GitHub Pro or make this repository public to enable
	// this feature."
	if repo.Private && w.planOf(repo.Owner) == "free" {
		return nil, fmt.Errorf("Upgrade to GitHub Pro or make this repository public to enable this feature.")
	}
	settings := plain{}
	for k, v := range in {
		if k != "repositoryId" && k != "pattern" && v != nil {
			settings[k] = clone(v)
		}
	}
	if rp := first(in, "restrictPushes"); rp != nil {
		// Restricting who can push is for organization-owned repositories only (github/rest-api-description#1319:
		// "Only organization repositories can have users and team restrictions").
		if a := w.Accounts[repo.Owner]; a == nil || a.Type != "Organization" {
			return nil, fmt.Errorf("Only organization repositories can have users and team restrictions")
		}
		// Push allowances of actors without write access are dropped by GitHub without an error, which then reads
		// back as a perpetual diff (TPG#1841, #1611).
		kept := []any{}
		for _, actor := range strings_(rp["pushAllowances"]) {
			if w.actorCanWrite(repo, actor) {
				kept = append(kept, actor)
			}
		}
		rp = clone(rp)
		rp["pushAllowances"] = kept
		if _, ok := rp["blocksCreations"]; !ok {
			rp["blocksCreations"] = true // blocks_creations Default true
		}
		settings["restrictPushes"] = []any{rp}
	}
	if reviews := first(in, "requiredPullRequestReviews"); reviews != nil {
		reviews = clone(reviews)
		if _, ok := reviews["requiredApprovingReviewCount"]; !ok {
			reviews["requiredApprovingReviewCount"] = 1.0 // Default 1
		}
		settings["requiredPullRequestReviews"] = []any{reviews}
	}
	return settings, nil
}

// actorCanWrite: "/login" of a user with write access (or the owner), or "org/team" of a team of the owner.
func (w *githubWorld) actorCanWrite(repo *ghRepo, actor string) bool {
	if login, ok := strings.CutPrefix(actor, "/"); ok {
		perm := repo.Collaborators[login]
		return login == repo.Owner || perm == "write" || perm == "maintain" || perm == "admin"
	}
	if t, ok := w.Teams[actor]; ok {
		return t.Org == repo.Owner
	}
	return false
}

func (bp *ghBranchProtection) outputs(repositoryID string) plain {
	out := clone(bp.Settings)
	out["id"] = bp.ID
	out["pattern"] = bp.Pattern
	out["repositoryId"] = repositoryID
	return out
}

var rulesetTargets = []string{"branch", "tag", "push"}

func ghRulesetType() *resourceType {
	t := &resourceType{
		token:     ghRulesetToken,
		computed:  []string{"etag", "nodeId", "rulesetId"},
		replaceOn: []string{"repository"},
		check: func(p *provider, news, olds plain) []checkFailure {
			var f []checkFailure
			if n := str(news, "name"); len(n) < 1 || len(n) > 100 {
				if _, known := news["name"].(string); known {
					f = append(f, checkFailure{"name", fmt.Sprintf("expected length of name to be in the range (1 - 100), got %s", n)})
				}
			}
			target := str(news, "target")
			if _, known := news["target"].(string); known && !inSet(rulesetTargets, target) {
				f = append(f, checkFailure{"target", fmt.Sprintf("expected target to be one of [\"branch\" \"tag\" \"push\"], got %s", target)})
			}
			if e, known := news["enforcement"].(string); known && !inSet([]string{"disabled", "active", "evaluate"}, e) {
				f = append(f, checkFailure{"enforcement", fmt.Sprintf("expected enforcement to be one of [\"disabled\" \"active\" \"evaluate\"], got %s", e)})
			}
			for i, a := range list(news, "bypassActors") {
				actor, _ := a.(map[string]any)
				if m := str(actor, "bypassMode"); m != "" && !inSet([]string{"always", "pull_request", "exempt"}, m) {
					f = append(f, checkFailure{fmt.Sprintf("bypassActors[%d].bypassMode", i), fmt.Sprintf("expected bypass_mode to be one of [\"always\" \"pull_request\" \"exempt\"], got %s", m)})
				}
			}
			// validateRulesetConditions (CustomizeDiff): ref_name is required for branch and tag targets and not
			// allowed for push targets.
			refName := object(object(news, "conditions"), "refName")
			if news["conditions"] != nil {
				switch {
				case (target == "branch" || target == "tag") && refName == nil:
					f = append(f, checkFailure{"conditions", fmt.Sprintf("ref_name must be set for %s target", target)})
				case target == "push" && refName != nil:
					f = append(f, checkFailure{"conditions", "ref_name must not be set for push target"})
				}
			}
			return f
		},
	}
	write := func(p *provider, in plain, id string) (plain, error) {
		return githubWrite(p, func(w *githubWorld, s ghSession) (plain, error) {
			repo, err := w.repo(s, str(in, "repository"), "POST")
			if err != nil {
				return nil, err
			}
			path := fmt.Sprintf("repos/%s/%s/rulesets", repo.Owner, repo.Name)
			if repo.Private && (w.planOf(repo.Owner) == "free") {
				return nil, ghError("POST", path, 403, "Upgrade to GitHub Pro or make this repository public to enable this feature.")
			}
			// "evaluate" (dry-run) enforcement is for organizations on GitHub Enterprise (schema description:
			// "`evaluate` is currently only supported for owners of type `organization`").
			if str(in, "enforcement") == "evaluate" && (w.Accounts[repo.Owner] == nil || w.Accounts[repo.Owner].Type != "Organization") {
				return nil, ghError("POST", path, 422, "Invalid request.\n\nevaluate enforcement is only available to organizations.")
			}
			for oid, other := range repo.Rulesets {
				// Ruleset names are unique in a repository.
				if oid != id && other.Name == str(in, "name") {
					return nil, ghError("POST", path, 422, "Validation Failed: Name must be unique")
				}
			}
			rs := repo.Rulesets[id]
			if rs == nil {
				n := w.nextID()
				rs = &ghRuleset{ID: n, NodeID: "RRS_lACk" + itoa(n)}
				repo.Rulesets[itoa(n)] = rs
			}
			rs.Name = str(in, "name")
			rs.Settings = clone(in)
			return rs.outputs(repo), nil
		})
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out, err := write(p, in, "")
		return created(itoa(int64(number(out, "rulesetId", 0))), out, err)
	}
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) { return write(p, news, id) }
	t.read = githubRead(func(w *githubWorld, s ghSession, id string, state plain) (string, plain, error) {
		repoName, rulesetID := str(state, "repository"), id
		if state == nil {
			parts, ok := parseID(id, 2) // resourceGithubRepositoryRulesetImport: "<repository>:<ruleset id>"
			if !ok {
				return "", nil, unexpectedID(id, 2)
			}
			repoName, rulesetID = parts[0], parts[1]
		}
		repo, err := w.repo(s, repoName, "GET")
		if err != nil {
			return "", nil, err
		}
		rs := repo.Rulesets[rulesetID]
		if rs == nil {
			return "", nil, nil
		}
		return rulesetID, rs.outputs(repo), nil
	})
	t.delete = func(p *provider, id string, state plain) error {
		return githubChange(p, func(w *githubWorld, s ghSession) error {
			repo, err := w.repo(s, str(state, "repository"), "DELETE")
			if err != nil {
				return err
			}
			delete(repo.Rulesets, id)
			return nil
		})
	}
	return t
}

func (rs *ghRuleset) outputs(repo *ghRepo) plain {
	out := clone(rs.Settings)
	out["repository"] = repo.Name
	out["rulesetId"] = float64(rs.ID)
	out["nodeId"] = rs.NodeID
	out["etag"] = digestOf(canonical(rs.Settings))[7:23]
	return out
}
