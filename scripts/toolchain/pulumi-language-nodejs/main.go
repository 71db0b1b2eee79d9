// pulumi-language-nodejs: a small Node.js language host for the Pulumi engine, written for deploy-guardrails.
//
// Why this exists: the upstream host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// is not served by the Go module proxy this project can reach, and the last upstream host that lived inside the
// github.com/pulumi/pulumi/sdk/v3 module (v3.68.0) cannot run policy packs: its RunPlugin answers "not supported",
// while current CLIs run Node.js policy packs through the language host's RunPlugin. So scripts/toolchain.sh
// builds this host from the same wrapper module as the CLI.
//
// What it does, and nothing more:
//   - Run: spawns `node <@pulumi/pulumi/cmd/run> --monitor ... <program>` in the program directory, with the
//     stack config in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS and TypeScript enabled unless the project's
//     runtime options say `typescript: false`. Exit code 32 from the SDK means "error already reported": bail.
//   - RunPlugin (kind "analyzer"): spawns `node <@pulumi/pulumi/cmd/run-policy-pack> <engine> .` in the policy
//     pack directory, resolving @pulumi/pulumi from the policy pack's own node_modules, and streams its output
//     (the first line is the analyzer's port) back to the engine.
//   - GetRequiredPackages / GetRequiredPlugins: the resource packages found in node_modules (package.json with
//     "pulumi": {"resource": true}), as the upstream host reports them.
//   - Handshake, GetPluginInfo, About.
//
// Not implemented (the engine or CLI says so if they are ever called): InstallDependencies (run `npm ci`
// yourself), program generation, templates, Node.js-written provider plugins.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The SDK exits with this code after it has already shown the user an actionable error.
const exitCodeAlreadyReported = 32

func main() {
	// The engine starts language hosts as `pulumi-language-nodejs [flags] <engine-address>`; flags (tracing,
	// logging) are accepted and ignored. The engine address is the last positional argument.
	var engineAddress string
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			engineAddress = a
		}
	}
	host := &nodeHost{engineAddress: engineAddress}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: []grpc.ServerOption{grpc.MaxRecvMsgSize(400 * 1024 * 1024)},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the RPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
}

func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *nodeHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(ctx context.Context, _ *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *nodeHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// ---------------------------------------------------------------------------------------------------------------
// Required packages

type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// findNodeModules returns the node_modules folder that Node would use for a program in dir (the nearest one at
// or above dir), or "" if there is none.
func findNodeModules(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		nm := filepath.Join(d, "node_modules")
		if st, err := os.Stat(nm); err == nil && st.IsDir() {
			return nm
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func readPackageJSON(path string) (*packageJSON, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var p packageJSON
	if json.Unmarshal(b, &p) != nil {
		return nil, false
	}
	return &p, true
}

// collectResourcePackages walks a node_modules folder (scoped packages and nested node_modules included) and
// adds the Pulumi resource packages it finds to out, keyed by name@version.
func collectResourcePackages(nodeModules string, out map[string]*pulumirpc.PackageDependency, seen map[string]bool) {
	real, err := filepath.EvalSymlinks(nodeModules)
	if err != nil || seen[real] {
		return
	}
	seen[real] = true
	entries, err := os.ReadDir(nodeModules)
	if err != nil {
		return
	}
	var pkgDirs []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(nodeModules, name)
		if strings.HasPrefix(name, "@") {
			scoped, err := os.ReadDir(p)
			if err != nil {
				continue
			}
			for _, s := range scoped {
				pkgDirs = append(pkgDirs, filepath.Join(p, s.Name()))
			}
			continue
		}
		pkgDirs = append(pkgDirs, p)
	}
	for _, dir := range pkgDirs {
		if pkg, ok := readPackageJSON(filepath.Join(dir, "package.json")); ok && pkg.Pulumi.Resource {
			if dep := resourceDependency(pkg); dep != nil {
				out[dep.Name+"@"+dep.Version] = dep
			}
		}
		nested := filepath.Join(dir, "node_modules")
		if st, err := os.Stat(nested); err == nil && st.IsDir() {
			collectResourcePackages(nested, out, seen)
		}
	}
}

// resourceDependency turns a package.json "pulumi" block into the plugin the package needs, using the same
// naming rules as the upstream host: an explicit pulumi.name wins; otherwise "@pulumi/x" -> "x" and "@scope/x" ->
// "scope/x".
func resourceDependency(pkg *packageJSON) *pulumirpc.PackageDependency {
	name := pkg.Pulumi.Name
	if name == "" {
		name = pkg.Name
		switch {
		case strings.HasPrefix(name, "@pulumi/"):
			name = strings.TrimPrefix(name, "@pulumi/")
		case strings.HasPrefix(name, "@"):
			name = name[1:]
		}
	}
	v := pkg.Pulumi.Version
	if v == "" {
		v = pkg.Version
	}
	if name == "" || v == "" {
		return nil
	}
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: v, Server: pkg.Pulumi.Server}
}

func requiredPackages(programDir string) []*pulumirpc.PackageDependency {
	found := map[string]*pulumirpc.PackageDependency{}
	if nm := findNodeModules(programDir); nm != "" {
		collectResourcePackages(nm, found, map[string]bool{})
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	deps := make([]*pulumirpc.PackageDependency, 0, len(keys))
	for _, k := range keys {
		deps = append(deps, found[k])
	}
	return deps
}

func programDirectory(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	return fallback
}

func (h *nodeHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{Packages: requiredPackages(programDirectory(req.GetInfo(), "."))}, nil
}

func (h *nodeHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	//nolint:staticcheck // older engines still send the deprecated fields
	deps := requiredPackages(programDirectory(req.GetInfo(), req.GetProgram()))
	plugins := make([]*pulumirpc.PluginDependency, 0, len(deps))
	for _, d := range deps {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: d.Name, Kind: d.Kind, Version: d.Version, Server: d.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// ---------------------------------------------------------------------------------------------------------------
// Running programs and policy packs

// options are the project's `runtime.options` for nodejs that this host honours.
type options struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseOptions(info *pulumirpc.ProgramInfo) options {
	o := options{typescript: true}
	if info == nil || info.GetOptions() == nil {
		return o
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		o.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		o.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok && strings.TrimSpace(v) != "" {
		o.nodeargs = strings.Fields(v)
	}
	return o
}

// resolveModule asks node where `module` resolves from dir, so that the SDK used is the program's own.
func resolveModule(node, dir, module string) (string, error) {
	cmd := exec.Command(node, "-e", "process.stdout.write(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s from %s (is @pulumi/pulumi installed there? run npm ci): %v %s",
			module, dir, err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = programDirectory(req.GetInfo(), ".")
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		if runPath, err = resolveModule(node, pwd, "@pulumi/pulumi/cmd/run"); err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
	}
	opts := parseOptions(req.GetInfo())

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engine())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", pwd)
	if req.GetInfo() != nil {
		add("root-directory", req.GetInfo().GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		add("parallel", fmt.Sprint(req.GetParallel()))
	}
	program := req.GetProgram()
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(cfgJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON),
	)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	if req.GetQueryMode() {
		env = append(env, "PULUMI_NODEJS_QUERY_MODE=true")
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	err = cmd.Run()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		switch code := exitErr.ExitCode(); code {
		case exitCodeAlreadyReported:
			return &pulumirpc.RunResponse{Bail: true}, nil
		case 0:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}, nil
		default:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
		}
	}
	return &pulumirpc.RunResponse{
		Error: fmt.Sprintf("Problem executing program (could not run node): %v", err),
	}, nil
}

// streamWriter forwards a child's stdout or stderr to the engine as RunPlugin messages.
type streamWriter struct {
	mu     *sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
	stderr bool
}

func (w *streamWriter) Write(p []byte) (int, error) {
	b := append([]byte(nil), p...)
	var msg *pulumirpc.RunPluginResponse
	if w.stderr {
		msg = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	} else {
		msg = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.server.Send(msg); err != nil {
		return 0, err
	}
	return len(p), nil
}

var _ io.Writer = (*streamWriter)(nil)

func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetKind() != "analyzer" {
		return status.Errorf(codes.Unimplemented,
			"this pulumi-language-nodejs (deploy-guardrails toolchain) runs only policy packs, not %q plugins",
			req.GetKind())
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	dir := programDirectory(req.GetInfo(), req.GetPwd())
	runPath, err := resolveModule(node, dir, "@pulumi/pulumi/cmd/run-policy-pack")
	if err != nil {
		return err
	}
	opts := parseOptions(req.GetInfo())
	entry := "."
	if req.GetInfo() != nil && req.GetInfo().GetEntryPoint() != "" {
		entry = req.GetInfo().GetEntryPoint()
	}
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	args = append(args, req.GetArgs()...) // the engine address
	args = append(args, entry)

	env := append(os.Environ(), req.GetEnv()...)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	var mu sync.Mutex
	cmd := exec.CommandContext(server.Context(), node, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = &streamWriter{mu: &mu, server: server}
	cmd.Stderr = &streamWriter{mu: &mu, server: server, stderr: true}
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return fmt.Errorf("running the policy pack in %s: %w", dir, err)
		}
		code = int32(exitErr.ExitCode())
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}
