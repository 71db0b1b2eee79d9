package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// provider serves one package (vercel, github, random or command) over the Pulumi provider protocol. What is
// generic lives here: plain values in and out, secrets, unknowns at preview, the shape of a diff, refresh and
// import. What each service does lives in its resourceType.
type provider struct {
	pulumirpc.UnimplementedResourceProviderServer
	pkg     string
	version string
	types   map[string]*resourceType
	invokes map[string]func(p *provider, args plain) (plain, error)
	// configure checks the provider configuration the way the real provider's Configure does.
	configure func(p *provider, config plain) error
	// bridgeDefaults: a terraform-bridge (SDKv2) provider adds `__defaults: []` to every object level of the
	// checked inputs, which policy packs see (measured with the real github plugin, issue 11).
	bridgeDefaults bool

	mu     sync.Mutex
	config plain
	st     *store
}

// opCtx is what a resource operation knows besides its properties.
type opCtx struct {
	name    string // the resource's logical name (from its URN)
	urn     string
	preview bool
}

type checkFailure struct{ property, reason string }

type resourceType struct {
	token string
	// replaceOn: top-level inputs whose change replaces the resource (ForceNew / RequiresReplace).
	replaceOn []string
	// keepWhenOmitted: Optional+Computed inputs; leaving one out keeps what the remote holds.
	keepWhenOmitted []string
	// unordered: paths (top-level name, or name.field for lists inside block lists) compared as sets.
	unordered []string
	// secretOut: sensitive attributes, secret in the outputs whatever the inputs were.
	secretOut []string
	// computed: outputs the provider fills in; unknown in the preview of a create.
	computed []string
	// defaults: schema defaults, in the state when the input is left out.
	defaults plain
	// previewID: the provider assigns the id in the preview of a create (pulumi-command does).
	previewID bool
	// allSecretIfAnyInputIs: every output is secret once any input is (pulumi-go-provider infer's default wiring).
	allSecretIfAnyInputIs bool
	// extraDiff: changes the generic diff cannot see (a remote edit that shows only in a computed output).
	extraDiff func(olds, news plain) []string

	check  func(p *provider, news, olds plain) []checkFailure
	create func(p *provider, op opCtx, inputs plain) (string, plain, error)
	// read returns what the remote holds now for id (nil when it is gone). state is nil for an import, where id is
	// the import id; read then returns the resource's real id.
	read   func(p *provider, id string, state plain) (string, plain, error)
	update func(p *provider, op opCtx, id string, olds, news plain) (plain, error)
	delete func(p *provider, id string, state plain) error
	// diff replaces the generic diff (pulumi-command's own rules).
	diff func(olds, news plain, ignore map[string]bool) diffResult
}

func (p *provider) store() (store, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.st != nil {
		return *p.st, nil
	}
	s, err := openStore()
	if err != nil {
		return store{}, err
	}
	p.st = &s
	return s, nil
}

func (p *provider) typeOf(tok string) (*resourceType, error) {
	t, ok := p.types[tok]
	if !ok {
		return nil, status.Errorf(codes.Unimplemented,
			"%s is an offline emulator (deploy-guardrails toolchain) and does not model %s; add it to scripts/toolchain/emulators and docs/emulator-rules.md", p.pkg, tok)
	}
	return t, nil
}

func nameOf(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

func (p *provider) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true}, nil
}

func (p *provider) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.version}, nil
}

func (p *provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, p.pkg, p.version)}, nil
}

func (p *provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *provider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *provider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	config, _, err := fromStruct(req.GetArgs())
	if err != nil {
		return nil, err
	}
	if len(config) == 0 {
		for k, v := range req.GetVariables() {
			config[k[strings.LastIndex(k, ":")+1:]] = v
		}
	}
	p.mu.Lock()
	p.config = config
	p.mu.Unlock()
	if p.configure != nil {
		if err := p.configure(p, config); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (p *provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	fn, ok := p.invokes[req.GetTok()]
	if !ok {
		return nil, status.Errorf(codes.Unimplemented, "%s is an offline emulator (deploy-guardrails toolchain) and does not model the function %s", p.pkg, req.GetTok())
	}
	args, _, err := fromStruct(req.GetArgs())
	if err != nil {
		return nil, err
	}
	out, err := fn(p, args)
	if err != nil {
		return nil, err
	}
	ret, err := toStruct(out, nil)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

func (p *provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	t, err := p.typeOf(req.GetType())
	if err != nil {
		return nil, err
	}
	news, secrets, err := fromStruct(req.GetNews())
	if err != nil {
		return nil, err
	}
	olds, _, err := fromStruct(req.GetOlds())
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	if t.check != nil {
		for _, f := range t.check(p, news, olds) {
			failures = append(failures, &pulumirpc.CheckFailure{Property: f.property, Reason: f.reason})
		}
	}
	inputs := req.GetNews()
	if p.bridgeDefaults {
		addBridgeDefaults(news)
		if inputs, err = toStruct(news, secrets); err != nil {
			return nil, err
		}
	}
	if t.token == commandToken {
		if inputs, err = commandCheckedInputs(req.GetNews()); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

// addBridgeDefaults marks, as the terraform bridge does, that no default was applied at any object level.
func addBridgeDefaults(v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			addBridgeDefaults(e)
		}
		if _, ok := x["__defaults"]; !ok {
			x["__defaults"] = []any{}
		}
	case []any:
		for _, e := range x {
			addBridgeDefaults(e)
		}
	}
}

func stripBridgeDefaults(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := plain{}
		for k, e := range x {
			if k != "__defaults" {
				out[k] = stripBridgeDefaults(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stripBridgeDefaults(e)
		}
		return out
	}
	return v
}

// props reads a request's properties without the bridge's bookkeeping.
func (p *provider) props(s *structpb.Struct) (plain, map[string]bool, error) {
	m, secrets, err := fromStruct(s)
	if err != nil {
		return nil, nil, err
	}
	return stripBridgeDefaults(m).(plain), secrets, nil
}

// typeAndProps reads a resource request: the type it is for and each of its property sets (with their secrets), in
// the order given.
func (p *provider) typeAndProps(tok string, sets ...*structpb.Struct) (*resourceType, []plain, []map[string]bool, error) {
	t, err := p.typeOf(tok)
	if err != nil {
		return nil, nil, nil, err
	}
	values, secrets := make([]plain, len(sets)), make([]map[string]bool, len(sets))
	for i, set := range sets {
		if values[i], secrets[i], err = p.props(set); err != nil {
			return nil, nil, nil, err
		}
	}
	return t, values, secrets, nil
}

// opOf is what an operation on the resource of urn knows besides its properties.
func opOf(urn string, preview bool) opCtx {
	return opCtx{name: nameOf(urn), urn: urn, preview: preview}
}

// refuseUnknown: an apply with an input still unknown is the engine's bug, not a value to write.
func refuseUnknown(op opCtx, inputs plain, doing string) error {
	if containsUnknown(inputs) {
		return fmt.Errorf("%s: an input is still unknown at %s", op.name, doing)
	}
	return nil
}

// outputStruct: the outputs as the engine gets them, secret where secretsOf says.
func (p *provider) outputStruct(t *resourceType, inputSecrets map[string]bool, out plain) (*structpb.Struct, error) {
	return toStruct(out, p.secretsOf(t, inputSecrets, out))
}

func (p *provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	t, props, _, err := p.typeAndProps(req.GetType(), req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	olds, news := props[0], props[1]
	ignore := map[string]bool{}
	for _, k := range req.GetIgnoreChanges() {
		ignore[k] = true
	}
	var d diffResult
	if t.diff != nil {
		d = t.diff(olds, news, ignore)
	} else {
		d = genericDiff(t, olds, news, ignore)
	}
	if t.extraDiff != nil {
		for _, k := range t.extraDiff(olds, news) {
			if !inSet(d.changed, k) {
				d.add(k, pulumirpc.PropertyDiff_UPDATE, false)
			}
		}
	}
	return d.response(), nil
}

func (p *provider) secretsOf(t *resourceType, inputSecrets map[string]bool, outputs plain) map[string]bool {
	out := map[string]bool{}
	if t.allSecretIfAnyInputIs && len(inputSecrets) > 0 {
		for k := range outputs {
			out[k] = true
		}
	}
	for k := range inputSecrets {
		out[k] = true
	}
	for _, k := range t.secretOut {
		out[k] = true
	}
	return out
}

func withDefaults(t *resourceType, m plain) plain {
	out := plain{}
	for k, v := range t.defaults {
		out[k] = v
	}
	for k, v := range m {
		if v != nil {
			out[k] = v
		}
	}
	return out
}

func (p *provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	t, props, secrets, err := p.typeAndProps(req.GetType(), req.GetProperties())
	if err != nil {
		return nil, err
	}
	inputs, op := props[0], opOf(req.GetUrn(), req.GetPreview())
	var id string
	var out plain
	if req.GetPreview() {
		out = withDefaults(t, inputs)
		for _, k := range t.computed {
			if _, set := inputs[k]; !set || inputs[k] == nil {
				out[k] = unknownValue
			}
		}
		if t.previewID {
			id, _, err = t.create(p, op, inputs)
			if err != nil {
				return nil, err
			}
		}
	} else {
		if err := refuseUnknown(op, inputs, "create"); err != nil {
			return nil, err
		}
		if id, out, err = t.create(p, op, inputs); err != nil {
			return nil, err
		}
	}
	outputs, err := p.outputStruct(t, secrets[0], out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: outputs}, nil
}

func (p *provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	t, props, propSecrets, err := p.typeAndProps(req.GetType(), req.GetProperties(), req.GetInputs())
	if err != nil {
		return nil, err
	}
	state, oldInputs := props[0], props[1]
	stateSecrets, inputSecrets := propSecrets[0], propSecrets[1]
	importing := len(state) == 0
	var st plain
	if !importing {
		st = state
	}
	id, out, err := t.read(p, req.GetId(), st)
	if err != nil {
		return nil, err
	}
	if out == nil {
		// Gone from the remote: the engine drops it from the state (refresh) or fails the import.
		if importing {
			return nil, fmt.Errorf("%s: cannot import %q: it does not exist", t.token, req.GetId())
		}
		return &pulumirpc.ReadResponse{}, nil
	}
	secrets := p.secretsOf(t, stateSecrets, out)
	for k := range inputSecrets {
		secrets[k] = true
	}
	inputs := plain{}
	if importing {
		computed := map[string]bool{}
		for _, k := range t.computed {
			computed[k] = true
		}
		for k, v := range out {
			if !computed[k] && v != nil {
				inputs[k] = v
			}
		}
	} else {
		for k, v := range oldInputs {
			if nv, ok := out[k]; ok {
				inputs[k] = nv
			} else {
				inputs[k] = v
			}
		}
	}
	outputs, err := toStruct(out, secrets)
	if err != nil {
		return nil, err
	}
	ins, err := toStruct(inputs, secrets)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: id, Properties: outputs, Inputs: ins}, nil
}

func (p *provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	t, props, secrets, err := p.typeAndProps(req.GetType(), req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	olds, news, op := props[0], props[1], opOf(req.GetUrn(), req.GetPreview())
	var out plain
	if req.GetPreview() {
		out = withDefaults(t, news)
		// Computed outputs and Optional+Computed inputs left out keep what the state holds.
		for _, k := range append(append([]string{}, t.computed...), t.keepWhenOmitted...) {
			if v, ok := olds[k]; ok && news[k] == nil {
				out[k] = v
			}
		}
	} else {
		if err := refuseUnknown(op, news, "update"); err != nil {
			return nil, err
		}
		if out, err = t.update(p, op, req.GetId(), olds, news); err != nil {
			return nil, err
		}
	}
	outputs, err := p.outputStruct(t, secrets[1], out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: outputs}, nil
}

func (p *provider) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*pbempty.Empty, error) {
	t, props, _, err := p.typeAndProps(req.GetType(), req.GetProperties())
	if err != nil {
		return nil, err
	}
	if err := t.delete(p, req.GetId(), props[0]); err != nil {
		return nil, err
	}
	return &pbempty.Empty{}, nil
}

func (p *provider) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
