// pulumi-resource-standin: an OFFLINE STAND-IN for the provider plugins this project uses (vercel, github, random,
// command), for when the real plugins cannot be built (their Go modules are not served by the module proxy this
// project can reach; see scripts/toolchain.sh). It is NOT the real provider and never calls Vercel or GitHub.
//
// scripts/toolchain.sh installs it into <cache>/toolchain/current/standin-bin as pulumi-resource-<name> (never into
// bin/): a test must put that directory on PATH on purpose, and should say in its output that it ran against
// stand-ins. The package name comes from $DEPLOY_GUARDRAILS_EMULATOR_PACKAGE or else the executable's name, and the version it
// reports from $DEPLOY_GUARDRAILS_EMULATOR_VERSION ("<version>+standin", which the engine accepts as <version>).
//
// What it does:
//   - CheckConfig/Configure/Check: accept the inputs as given (secrets, unknowns and resource references kept), so
//     `pulumi preview` shows, and policy packs analyse, exactly what the program passed.
//   - Diff: the changed top-level inputs (compared with the old inputs). Changes replace the resource for
//     random:* (every RandomPassword input forces a new one) and for a Command's `triggers`; otherwise update.
//   - Create/Update (not called by preview): outputs = inputs, plus
//     random:index/randomPassword:RandomPassword  `result` (random, of `length`) and `bcryptHash` (fake),
//     random:index/randomString:RandomString      `result`,
//     command:local:Command                        runs `create` (or `update`) with /bin/sh -c (or `interpreter`),
//     in `dir`, with `environment` added to the environment, and
//     returns `stdout`/`stderr` (one trailing newline trimmed); a
//     non-zero exit fails the operation,
//     and an id "<type name>-<random hex>" for new resources.
//   - Delete: runs a Command's `delete`, otherwise nothing. Read returns what it is given. Invoke is not supported.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	pkg := os.Getenv("DEPLOY_GUARDRAILS_EMULATOR_PACKAGE")
	if pkg == "" {
		pkg = strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-resource-")
	}
	if pkg == "" || pkg == "standin" {
		fmt.Fprintln(os.Stderr, "pulumi-resource-standin: run me through a symlink named pulumi-resource-<package>")
		os.Exit(2)
	}
	version := "0.0.0"
	if v := os.Getenv("DEPLOY_GUARDRAILS_EMULATOR_VERSION"); v != "" {
		version = strings.TrimPrefix(v, "v")
	}
	p := &standin{pkg: pkg, version: version + "+standin"}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(srv, p)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s (stand-in): %v\n", pkg, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s (stand-in): %v\n", pkg, err)
		os.Exit(1)
	}
}

type standin struct {
	pulumirpc.UnimplementedResourceProviderServer
	pkg     string
	version string
}

var keepAll = plugin.MarshalOptions{
	KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true,
}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, keepAll)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, keepAll)
}

// plain strips secret and output wrappers.
func plain(v resource.PropertyValue) resource.PropertyValue {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			v = v.OutputValue().Element
		default:
			return v
		}
	}
}

func str(m resource.PropertyMap, key string) (string, bool) {
	v, ok := m[resource.PropertyKey(key)]
	if !ok {
		return "", false
	}
	v = plain(v)
	if !v.IsString() {
		return "", false
	}
	return v.StringValue(), true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randomString(n int, alphabet string) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		sb.WriteByte(alphabet[k.Int64()])
	}
	return sb.String()
}

func typeName(tok string) string {
	parts := strings.Split(tok, ":")
	return strings.ToLower(parts[len(parts)-1])
}

func (p *standin) Handshake(
	ctx context.Context, req *pulumirpc.ProviderHandshakeRequest,
) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{
		AcceptSecrets: true, AcceptResources: true, AcceptOutputs: true,
	}, nil
}

func (p *standin) GetPluginInfo(ctx context.Context, _ *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.version}, nil
}

func (p *standin) GetSchema(ctx context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, p.pkg, p.version)}, nil
}

func (p *standin) CheckConfig(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *standin) DiffConfig(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *standin) Configure(
	ctx context.Context, req *pulumirpc.ConfigureRequest,
) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{
		AcceptSecrets: true, SupportsPreview: true, AcceptResources: true, AcceptOutputs: true,
	}, nil
}

func (p *standin) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	return nil, status.Errorf(codes.Unimplemented,
		"%s is an offline stand-in provider (deploy-guardrails toolchain): function %s is not available",
		p.pkg, req.GetTok())
}

func (p *standin) Check(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *standin) Diff(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	if req.GetOldInputs() == nil {
		if olds, err = unmarshal(req.GetOlds()); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	ignored := map[string]bool{}
	for _, k := range req.GetIgnoreChanges() {
		ignored[k] = true
	}
	keys := map[resource.PropertyKey]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	var diffs, replaces []string
	detailed := map[string]*pulumirpc.PropertyDiff{}
	for k := range keys {
		if ignored[string(k)] {
			continue
		}
		o, hasOld := olds[k]
		n, hasNew := news[k]
		if hasOld && hasNew && o.DeepEquals(n) && !n.ContainsUnknowns() {
			continue
		}
		if !hasOld && hasNew && n.IsNull() || hasOld && !hasNew && o.IsNull() {
			continue
		}
		diffs = append(diffs, string(k))
		replace := strings.HasPrefix(req.GetType(), "random:") ||
			(req.GetType() == "command:local:Command" && k == "triggers")
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case !hasOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !hasNew:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if replace {
			replaces = append(replaces, string(k))
			kind += pulumirpc.PropertyDiff_ADD_REPLACE - pulumirpc.PropertyDiff_ADD
		}
		detailed[string(k)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	sort.Strings(diffs)
	sort.Strings(replaces)
	changes := pulumirpc.DiffResponse_DIFF_NONE
	if len(diffs) > 0 {
		changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return &pulumirpc.DiffResponse{
		Changes: changes, Diffs: diffs, Replaces: replaces, DetailedDiff: detailed, HasDetailedDiff: true,
	}, nil
}

// outputs computes the outputs of a create or update (not in preview).
func (p *standin) outputs(tok string, inputs resource.PropertyMap, olds resource.PropertyMap, update bool,
) (resource.PropertyMap, error) {
	out := inputs.Copy()
	switch tok {
	case "random:index/randomPassword:RandomPassword", "random:index/randomString:RandomString":
		if update && olds != nil {
			if r, ok := olds["result"]; ok {
				out["result"] = r
				if h, ok := olds["bcryptHash"]; ok {
					out["bcryptHash"] = h
				}
				return out, nil
			}
		}
		n := 16
		if v, ok := inputs["length"]; ok && plain(v).IsNumber() {
			n = int(plain(v).NumberValue())
		}
		alphabet := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		out["result"] = resource.NewStringProperty(randomString(n, alphabet))
		if strings.HasSuffix(tok, "RandomPassword") {
			out["bcryptHash"] = resource.NewStringProperty("$2a$10$standin" + randomHex(16))
		}
	case "command:local:Command":
		script, _ := str(inputs, "create")
		if update {
			if u, ok := str(inputs, "update"); ok {
				script = u
			}
		}
		var oldOut map[string]string
		if update && olds != nil {
			oldOut = map[string]string{}
			oldOut["stdout"], _ = str(olds, "stdout")
			oldOut["stderr"], _ = str(olds, "stderr")
		}
		stdout, stderr, err := runCommand(script, inputs, oldOut)
		if err != nil {
			return nil, err
		}
		out["stdout"] = resource.NewStringProperty(stdout)
		out["stderr"] = resource.NewStringProperty(stderr)
	}
	return out, nil
}

// runCommand runs a local.Command script the way pulumi-command does: interpreter (default /bin/sh -c), dir,
// the environment plus `environment`; PULUMI_COMMAND_STDOUT/STDERR hold the previous outputs on updates.
func runCommand(script string, inputs resource.PropertyMap, previous map[string]string) (string, string, error) {
	if script == "" {
		return "", "", nil
	}
	interp := []string{"/bin/sh", "-c"}
	if v, ok := inputs["interpreter"]; ok && plain(v).IsArray() {
		interp = nil
		for _, e := range plain(v).ArrayValue() {
			if plain(e).IsString() {
				interp = append(interp, plain(e).StringValue())
			}
		}
	}
	cmd := exec.Command(interp[0], append(interp[1:], script)...)
	if d, ok := str(inputs, "dir"); ok && d != "" {
		cmd.Dir = d
	}
	env := os.Environ()
	if v, ok := inputs["environment"]; ok && plain(v).IsObject() {
		for k, ev := range plain(v).ObjectValue() {
			if plain(ev).IsString() {
				env = append(env, string(k)+"="+plain(ev).StringValue())
			}
		}
	}
	addPrev := true
	if v, ok := inputs["addPreviousOutputInEnv"]; ok && plain(v).IsBool() {
		addPrev = plain(v).BoolValue()
	}
	if previous != nil && addPrev {
		env = append(env, "PULUMI_COMMAND_STDOUT="+previous["stdout"], "PULUMI_COMMAND_STDERR="+previous["stderr"])
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	so := strings.TrimSuffix(stdout.String(), "\n")
	se := strings.TrimSuffix(stderr.String(), "\n")
	if err != nil {
		return so, se, fmt.Errorf("command failed (stand-in provider): %w\nstderr: %s", err, se)
	}
	return so, se, nil
}

func (p *standin) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
	}
	inputs, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	out, err := p.outputs(req.GetType(), inputs, nil, false)
	if err != nil {
		return nil, err
	}
	props, err := marshal(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: typeName(req.GetType()) + "-" + randomHex(8), Properties: props}, nil
}

func (p *standin) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	if req.GetPreview() {
		return &pulumirpc.UpdateResponse{Properties: req.GetNews()}, nil
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	out, err := p.outputs(req.GetType(), news, olds, true)
	if err != nil {
		return nil, err
	}
	props, err := marshal(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func (p *standin) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (p *standin) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*pbempty.Empty, error) {
	if req.GetType() == "command:local:Command" {
		props, err := unmarshal(req.GetProperties())
		if err != nil {
			return nil, err
		}
		if script, ok := str(props, "delete"); ok && script != "" {
			prev := map[string]string{}
			prev["stdout"], _ = str(props, "stdout")
			prev["stderr"], _ = str(props, "stderr")
			if _, _, err := runCommand(script, props, prev); err != nil {
				return nil, err
			}
		}
	}
	return &pbempty.Empty{}, nil
}

func (p *standin) Cancel(ctx context.Context, _ *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}
