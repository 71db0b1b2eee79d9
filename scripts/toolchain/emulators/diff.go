package main

import (
	"encoding/json"
	"sort"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

type diffResult struct {
	changed  []string
	replaces []string
	kinds    map[string]pulumirpc.PropertyDiff_Kind
}

func (d diffResult) response() *pulumirpc.DiffResponse {
	sort.Strings(d.changed)
	sort.Strings(d.replaces)
	detailed := map[string]*pulumirpc.PropertyDiff{}
	for k, kind := range d.kinds {
		detailed[k] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	changes := pulumirpc.DiffResponse_DIFF_NONE
	if len(d.changed) > 0 {
		changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return &pulumirpc.DiffResponse{Changes: changes, Diffs: d.changed, Replaces: d.replaces, DetailedDiff: detailed, HasDetailedDiff: true}
}

func (d *diffResult) add(key string, kind pulumirpc.PropertyDiff_Kind, replace bool) {
	if d.kinds == nil {
		d.kinds = map[string]pulumirpc.PropertyDiff_Kind{}
	}
	d.changed = append(d.changed, key)
	if replace {
		d.replaces = append(d.replaces, key)
		kind += pulumirpc.PropertyDiff_ADD_REPLACE - pulumirpc.PropertyDiff_ADD
	}
	d.kinds[key] = kind
}

func inSet(list []string, key string) bool {
	for _, k := range list {
		if k == key {
			return true
		}
	}
	return false
}

// genericDiff compares the program's new inputs with the state the provider last returned (refreshed, when the
// run refreshes), the way the terraform bridge plans a change: a left-out Optional+Computed input keeps the
// remote value, a left-out optional input that the remote holds at its zero value or default is no change, sets
// compare without order, and a change of a ForceNew input replaces.
func genericDiff(t *resourceType, olds, news plain, ignore map[string]bool) diffResult {
	var d diffResult
	keys := map[string]bool{}
	for k := range news {
		keys[k] = true
	}
	for k := range olds {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		if ignore[k] || k == "id" || (inSet(t.computed, k) && !inSet(t.keepWhenOmitted, k) && news[k] == nil) {
			continue
		}
		n, hasNew := news[k]
		o, hasOld := olds[k]
		hasNew = hasNew && n != nil
		hasOld = hasOld && o != nil
		replace := inSet(t.replaceOn, k)
		switch {
		case !hasNew && !hasOld:
		case !hasNew:
			// Left out: an Optional+Computed input keeps the remote value; one with a schema default plans the default.
			if def, hasDefault := t.defaults[k]; hasDefault {
				if equalValues(def, o, k, t.unordered) {
					continue
				}
			} else if inSet(t.keepWhenOmitted, k) || isZero(o) {
				continue
			}
			d.add(k, pulumirpc.PropertyDiff_DELETE, replace)
		case isUnknown(n) || containsUnknown(n):
			d.add(k, pulumirpc.PropertyDiff_UPDATE, replace)
		case !hasOld:
			if isZero(n) || (t.defaults[k] != nil && equalValues(t.defaults[k], n, k, t.unordered)) {
				continue
			}
			d.add(k, pulumirpc.PropertyDiff_ADD, replace)
		case !equalValues(n, o, k, t.unordered):
			d.add(k, pulumirpc.PropertyDiff_UPDATE, replace)
		}
	}
	return d
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		for _, e := range x {
			if !isZero(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for k, e := range x {
			if k != "__defaults" && !isZero(e) {
				return false
			}
		}
		return true
	}
	return false
}

// equalValues: new against old; a key only one side has counts only when it holds a non-zero value.
func equalValues(n, o any, path string, unordered []string) bool {
	switch nv := n.(type) {
	case map[string]any:
		ov, ok := o.(map[string]any)
		if !ok {
			return isZero(nv) && isZero(o)
		}
		keys := map[string]bool{}
		for k := range nv {
			keys[k] = true
		}
		for k := range ov {
			keys[k] = true
		}
		for k := range keys {
			if k == "__defaults" {
				continue
			}
			a, b := nv[k], ov[k]
			if a == nil || b == nil {
				if !isZero(a) || !isZero(b) {
					return false
				}
				continue
			}
			if !equalValues(a, b, path+"."+k, unordered) {
				return false
			}
		}
		return true
	case []any:
		ov, ok := o.([]any)
		if !ok {
			return len(nv) == 0 && isZero(o)
		}
		if len(nv) != len(ov) {
			return false
		}
		if inSet(unordered, path) {
			return sameMembers(nv, ov)
		}
		for i := range nv {
			if !equalValues(nv[i], ov[i], path, unordered) {
				return false
			}
		}
		return true
	}
	return n == o
}

func sameMembers(a, b []any) bool {
	count := map[string]int{}
	for _, e := range a {
		count[canonical(e)]++
	}
	for _, e := range b {
		count[canonical(e)]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func canonical(v any) string {
	b, _ := json.Marshal(stripBridgeDefaults(v))
	return string(b)
}
