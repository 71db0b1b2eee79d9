package main

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// The emulators decide on plain, JSON-like values: map[string]any, []any, string, float64, bool, nil, and
// unknownValue for a value not known until the update (preview). Secrets are stripped on the way in and put back
// on the way out, per top-level property, the way the engine tracks them.

type unknown struct{}

var unknownValue = unknown{}

func isUnknown(v any) bool { _, ok := v.(unknown); return ok }

type plain = map[string]any

var marshalOptions = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true}

// fromStruct turns gRPC properties into plain values and the names of the top-level properties that held a secret.
func fromStruct(s *structpb.Struct) (plain, map[string]bool, error) {
	out := plain{}
	secrets := map[string]bool{}
	if s == nil {
		return out, secrets, nil
	}
	props, err := plugin.UnmarshalProperties(s, marshalOptions)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range props {
		if v.ContainsSecrets() {
			secrets[string(k)] = true
		}
		out[string(k)] = toPlain(v)
	}
	return out, secrets, nil
}

func toPlain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return toPlain(v.SecretValue().Element)
	case v.IsOutput():
		if !v.OutputValue().Known {
			return unknownValue
		}
		return toPlain(v.OutputValue().Element)
	case v.IsComputed():
		return unknownValue
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := make([]any, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			arr = append(arr, toPlain(e))
		}
		return arr
	case v.IsObject():
		m := plain{}
		for k, e := range v.ObjectValue() {
			m[string(k)] = toPlain(e)
		}
		return m
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		if id, ok := ref.IDString(); ok {
			return id
		}
		return string(ref.URN)
	}
	return nil
}

func fromPlain(v any) resource.PropertyValue {
	switch x := v.(type) {
	case nil:
		return resource.NewNullProperty()
	case unknown:
		return resource.MakeComputed(resource.NewStringProperty(""))
	case bool:
		return resource.NewBoolProperty(x)
	case float64:
		return resource.NewNumberProperty(x)
	case int:
		return resource.NewNumberProperty(float64(x))
	case int64:
		return resource.NewNumberProperty(float64(x))
	case string:
		return resource.NewStringProperty(x)
	case []any:
		arr := make([]resource.PropertyValue, 0, len(x))
		for _, e := range x {
			arr = append(arr, fromPlain(e))
		}
		return resource.NewArrayProperty(arr)
	case []string:
		arr := make([]resource.PropertyValue, 0, len(x))
		for _, e := range x {
			arr = append(arr, resource.NewStringProperty(e))
		}
		return resource.NewArrayProperty(arr)
	case map[string]any:
		m := resource.PropertyMap{}
		for k, e := range x {
			m[resource.PropertyKey(k)] = fromPlain(e)
		}
		return resource.NewObjectProperty(m)
	}
	panic(fmt.Sprintf("emulator: cannot marshal %T", v))
}

// toStruct marshals plain values, wrapping the named top-level properties as secrets.
func toStruct(m plain, secret map[string]bool) (*structpb.Struct, error) {
	props := resource.PropertyMap{}
	for k, v := range m {
		pv := fromPlain(v)
		if secret[k] && !pv.IsNull() {
			pv = resource.MakeSecret(pv)
		}
		props[resource.PropertyKey(k)] = pv
	}
	return plugin.MarshalProperties(props, marshalOptions)
}

// Accessors that tolerate absent and unknown values.

func str(m plain, key string) string {
	s, _ := m[key].(string)
	return s
}

func boolean(m plain, key string, def bool) bool {
	if b, ok := m[key].(bool); ok {
		return b
	}
	return def
}

func number(m plain, key string, def float64) float64 {
	if n, ok := m[key].(float64); ok {
		return n
	}
	return def
}

func list(m plain, key string) []any {
	l, _ := m[key].([]any)
	return l
}

func object(m plain, key string) plain {
	o, _ := m[key].(map[string]any)
	return o
}

// first is the object in a one-element block list (TF blocks with MaxItems 1 are lists in the Pulumi SDKs).
func first(m plain, key string) plain {
	if l := list(m, key); len(l) > 0 {
		o, _ := l[0].(map[string]any)
		return o
	}
	return nil
}

// listOf: the elements of a list that are a T (the others are unknown at preview, or not of the schema's type).
func listOf[T any](v any) []T {
	var out []T
	if l, ok := v.([]any); ok {
		for _, e := range l {
			if x, ok := e.(T); ok {
				out = append(out, x)
			}
		}
	}
	return out
}

func strings_(v any) []string { return listOf[string](v) }

func numbers(v any) []float64 { return listOf[float64](v) }

func sortedStrings(v any) []any {
	s := strings_(v)
	sort.Strings(s)
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

func containsUnknown(v any) bool {
	switch x := v.(type) {
	case unknown:
		return true
	case []any:
		for _, e := range x {
			if containsUnknown(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsUnknown(e) {
				return true
			}
		}
	}
	return false
}

// clone deep-copies plain values through JSON (unknowns are never stored, so they never pass through here).
func clone[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}
