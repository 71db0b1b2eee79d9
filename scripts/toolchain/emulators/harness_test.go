package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

// h drives one emulated package through its gRPC methods, in process, with a fresh remote folder.
type h struct {
	t   *testing.T
	p   *provider
	dir string
}

func newH(t *testing.T, pkg string) *h {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(stateEnv, dir)
	p, err := newProvider(pkg, "1.0.0+emulator")
	if err != nil {
		t.Fatal(err)
	}
	return &h{t: t, p: p, dir: dir}
}

func (x *h) seed(service string, world any) {
	x.t.Helper()
	b, err := json.Marshal(world)
	if err != nil {
		x.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(x.dir, service+".json"), b, 0o600); err != nil {
		x.t.Fatal(err)
	}
}

func (x *h) world(service string) map[string]any {
	x.t.Helper()
	b, err := os.ReadFile(filepath.Join(x.dir, service+".json"))
	if err != nil {
		x.t.Fatal(err)
	}
	var w map[string]any
	if err := json.Unmarshal(b, &w); err != nil {
		x.t.Fatal(err)
	}
	return w
}

func (x *h) configure(config plain) error {
	args, err := toStruct(config, nil)
	if err != nil {
		x.t.Fatal(err)
	}
	_, err = x.p.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: args})
	return err
}

func (x *h) mustConfigure(config plain) {
	x.t.Helper()
	if err := x.configure(config); err != nil {
		x.t.Fatal(err)
	}
}

func pstruct(t *testing.T, m plain) *structpb.Struct {
	t.Helper()
	if m == nil {
		return nil
	}
	s, err := toStruct(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (x *h) unpack(s *structpb.Struct) plain {
	x.t.Helper()
	m, _, err := fromStruct(s)
	if err != nil {
		x.t.Fatal(err)
	}
	return m
}

const testURN = "urn:pulumi:test::deploy-guardrails::type::res"

// check returns the failures' reasons, joined.
func (x *h) check(tok string, news, olds plain) string {
	x.t.Helper()
	resp, err := x.p.Check(context.Background(), &pulumirpc.CheckRequest{Urn: testURN, Type: tok, News: pstruct(x.t, news), Olds: pstruct(x.t, olds)})
	if err != nil {
		x.t.Fatal(err)
	}
	var reasons []string
	for _, f := range resp.GetFailures() {
		reasons = append(reasons, f.GetProperty()+": "+f.GetReason())
	}
	return strings.Join(reasons, "\n")
}

func (x *h) create(tok string, in plain) (string, plain, error) {
	x.t.Helper()
	resp, err := x.p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: testURN, Type: tok, Properties: pstruct(x.t, in)})
	if err != nil {
		return "", nil, err
	}
	return resp.GetId(), x.unpack(resp.GetProperties()), nil
}

func (x *h) mustCreate(tok string, in plain) (string, plain) {
	x.t.Helper()
	id, out, err := x.create(tok, in)
	if err != nil {
		x.t.Fatal(err)
	}
	return id, out
}

func (x *h) preview(tok string, in plain) (string, *structpb.Struct) {
	x.t.Helper()
	resp, err := x.p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: testURN, Type: tok, Properties: pstruct(x.t, in), Preview: true})
	if err != nil {
		x.t.Fatal(err)
	}
	return resp.GetId(), resp.GetProperties()
}

// read is a refresh (state given) or an import (state nil); found is false when the remote object is gone.
func (x *h) read(tok, id string, state, inputs plain) (string, plain, plain) {
	x.t.Helper()
	resp, err := x.p.Read(context.Background(), &pulumirpc.ReadRequest{Urn: testURN, Type: tok, Id: id, Properties: pstruct(x.t, state), Inputs: pstruct(x.t, inputs)})
	if err != nil {
		x.t.Fatal(err)
	}
	if resp.GetId() == "" {
		return "", nil, nil
	}
	return resp.GetId(), x.unpack(resp.GetProperties()), x.unpack(resp.GetInputs())
}

func (x *h) readErr(tok, id string, state plain) error {
	_, err := x.p.Read(context.Background(), &pulumirpc.ReadRequest{Urn: testURN, Type: tok, Id: id, Properties: pstruct(x.t, state)})
	return err
}

func (x *h) update(tok, id string, olds, news plain) (plain, error) {
	x.t.Helper()
	resp, err := x.p.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: testURN, Type: tok, Id: id, Olds: pstruct(x.t, olds), News: pstruct(x.t, news)})
	if err != nil {
		return nil, err
	}
	return x.unpack(resp.GetProperties()), nil
}

func (x *h) previewUpdate(tok, id string, olds, news plain) plain {
	x.t.Helper()
	resp, err := x.p.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: testURN, Type: tok, Id: id, Olds: pstruct(x.t, olds), News: pstruct(x.t, news), Preview: true})
	if err != nil {
		x.t.Fatal(err)
	}
	return x.unpack(resp.GetProperties())
}

func (x *h) delete(tok, id string, state plain) error {
	_, err := x.p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: testURN, Type: tok, Id: id, Properties: pstruct(x.t, state)})
	return err
}

// invoke calls a function of the package as the engine does, by its token.
func (x *h) invoke(tok string, args plain) (plain, error) {
	x.t.Helper()
	fn, ok := x.p.invokes[tok]
	if !ok {
		x.t.Fatalf("%s does not model the function %s", x.p.pkg, tok)
	}
	return fn(x.p, args)
}

func (x *h) diff(tok string, olds, news plain) *pulumirpc.DiffResponse {
	x.t.Helper()
	resp, err := x.p.Diff(context.Background(), &pulumirpc.DiffRequest{Urn: testURN, Type: tok, Olds: pstruct(x.t, olds), News: pstruct(x.t, news)})
	if err != nil {
		x.t.Fatal(err)
	}
	return resp
}

func wantErr(t *testing.T, err error, substr string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an error containing %q, got none", substr)
	}
	if !strings.Contains(err.Error(), substr) {
		t.Fatalf("expected an error containing %q, got: %v", substr, err)
	}
}

func wantNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantContains(t *testing.T, text, substr string) {
	t.Helper()
	if !strings.Contains(text, substr) {
		t.Fatalf("expected %q in:\n%s", substr, text)
	}
}

func wantEmpty(t *testing.T, text string) {
	t.Helper()
	if text != "" {
		t.Fatalf("expected no check failure, got:\n%s", text)
	}
}

func secretKeys(t *testing.T, s *structpb.Struct) map[string]bool {
	return keysWhere(t, s, resource.PropertyValue.IsSecret)
}

func unknownKeys(t *testing.T, s *structpb.Struct) map[string]bool {
	return keysWhere(t, s, resource.PropertyValue.ContainsUnknowns)
}

// keysWhere: the top-level properties of s, as the engine unmarshals them, for which is holds.
func keysWhere(t *testing.T, s *structpb.Struct, is func(resource.PropertyValue) bool) map[string]bool {
	t.Helper()
	props, err := plugin.UnmarshalProperties(s, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for k, v := range props {
		if is(v) {
			out[string(k)] = true
		}
	}
	return out
}

func checkRequest(t *testing.T, tok string, news plain) *pulumirpc.CheckRequest {
	return &pulumirpc.CheckRequest{Urn: testURN, Type: tok, News: pstruct(t, news)}
}
