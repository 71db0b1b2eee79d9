package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// command 1.2.1: pulumi/pulumi-command at tag v1.2.1, provider/pkg/provider/local/commandController.go,
// commandOutputs.go, base.go and common/inputs.go (mirror /work/.mirror/pulumi+pulumi-command/repo). The local
// command is the one thing here that really runs: nothing is emulated but the provider's bookkeeping.

const commandToken = "command:local:Command"

func commandProvider(version string) *provider {
	t := &resourceType{
		token: commandToken,
		// common/inputs.go: Triggers carries provider:"replaceOnChanges"; any other input change is an Update.
		replaceOn: []string{"triggers"},
		computed:  []string{"stdout", "stderr", "assets", "archive"},
		// commandController.go Create: the id is resource.NewUniqueHex(name, 8, 0), assigned before the preview check.
		previewID: true,
		// infer's default wiring: every output depends on every input, so a secret input makes every output secret.
		allSecretIfAnyInputIs: true,
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		id, err := resource.NewUniqueHex(op.name, 8, 0)
		if err != nil || op.preview {
			return id, nil, err
		}
		out := clone(in)
		if script, ok := in["create"].(string); ok {
			stdout, stderr, err := runLocalCommand(script, in, "", "")
			out["stdout"], out["stderr"] = stdout, stderr
			if err != nil {
				return "", nil, err
			}
		} else {
			out["stdout"], out["stderr"] = "", ""
		}
		return id, out, nil
	}
	t.read = func(p *provider, id string, state plain) (string, plain, error) {
		if state == nil {
			return "", nil, fmt.Errorf("command:local:Command cannot be imported")
		}
		return id, state, nil
	}
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) {
		// Update: state keeps the previous outputs; runs `update` if set, else `create`, else nothing.
		out := clone(news)
		out["stdout"], out["stderr"] = str(olds, "stdout"), str(olds, "stderr")
		script, ok := news["update"].(string)
		if !ok {
			script, ok = news["create"].(string)
		}
		if !ok {
			return out, nil
		}
		stdout, stderr, err := runLocalCommand(script, news, str(olds, "stdout"), str(olds, "stderr"))
		if err != nil {
			return nil, err
		}
		out["stdout"], out["stderr"] = stdout, stderr
		return out, nil
	}
	t.delete = func(p *provider, id string, state plain) error {
		script, ok := state["delete"].(string)
		if !ok {
			return nil
		}
		_, _, err := runLocalCommand(script, state, str(state, "stdout"), str(state, "stderr"))
		return err
	}
	return &provider{pkg: "command", version: version, types: map[string]*resourceType{commandToken: t}}
}

// commandCheckedInputs: the real provider's Check returns a secret whose value is unknown as an empty secret string
// (measured with the real plugin at preview, issue 11), so a policy sees "" there instead of an unknown.
func commandCheckedInputs(news *structpb.Struct) (*structpb.Struct, error) {
	opts := plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true}
	props, err := plugin.UnmarshalProperties(news, opts)
	if err != nil {
		return nil, err
	}
	var walk func(v resource.PropertyValue) resource.PropertyValue
	walk = func(v resource.PropertyValue) resource.PropertyValue {
		switch {
		case v.IsSecret():
			e := v.SecretValue().Element
			if e.IsComputed() || (e.IsOutput() && !e.OutputValue().Known) {
				return resource.MakeSecret(resource.NewStringProperty(""))
			}
			return resource.MakeSecret(walk(e))
		case v.IsArray():
			arr := make([]resource.PropertyValue, len(v.ArrayValue()))
			for i, e := range v.ArrayValue() {
				arr[i] = walk(e)
			}
			return resource.NewArrayProperty(arr)
		case v.IsObject():
			m := resource.PropertyMap{}
			for k, e := range v.ObjectValue() {
				m[k] = walk(e)
			}
			return resource.NewObjectProperty(m)
		}
		return v
	}
	for k, v := range props {
		props[k] = walk(v)
	}
	return plugin.MarshalProperties(props, opts)
}

// commandEnvironment: os.Environ() plus `environment`, plus PULUMI_COMMAND_STDOUT/STDERR of the previous outputs
// when addPreviousOutputInEnv is unset or true and they are not empty (commandOutputs.go run).
func commandEnvironment(in plain, prevStdout, prevStderr string) []string {
	env := os.Environ()
	for k, v := range object(in, "environment") {
		if s, ok := v.(string); ok {
			env = append(env, k+"="+s)
		}
	}
	if boolean(in, "addPreviousOutputInEnv", true) {
		if prevStdout != "" {
			env = append(env, "PULUMI_COMMAND_STDOUT="+prevStdout)
		}
		if prevStderr != "" {
			env = append(env, "PULUMI_COMMAND_STDERR="+prevStderr)
		}
	}
	return env
}

type concurrentWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (c *concurrentWriter) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.w.Write(b)
}

// runLocalCommand: interpreter (default /bin/sh -c) plus the script, in `dir` (default the plugin's working
// directory), stdin from `stdin`; stdout and stderr with one trailing newline trimmed; on failure the error names
// the command and carries stdout and stderr interleaved, as `%w: running %q:\n%s`.
func runLocalCommand(script string, in plain, prevStdout, prevStderr string) (string, string, error) {
	args := strings_(in["interpreter"])
	if len(args) == 0 {
		args = []string{"/bin/sh", "-c"}
	}
	args = append(args, script)
	cmd := exec.CommandContext(context.Background(), args[0], args[1:]...)
	var stdout, stderr, both bytes.Buffer
	shared := &concurrentWriter{w: &both}
	cmd.Stdout = multiWriter(&stdout, shared)
	cmd.Stderr = multiWriter(&stderr, shared)
	if dir := str(in, "dir"); dir != "" {
		cmd.Dir = dir
	} else if wd, err := os.Getwd(); err == nil {
		cmd.Dir = wd
	}
	cmd.Env = commandEnvironment(in, prevStdout, prevStderr)
	if s := str(in, "stdin"); s != "" {
		cmd.Stdin = strings.NewReader(s)
	}
	if err := cmd.Run(); err != nil {
		return "", "", fmt.Errorf("%w: running %q:\n%s", err, script, both.String())
	}
	return strings.TrimSuffix(stdout.String(), "\n"), strings.TrimSuffix(stderr.String(), "\n"), nil
}

func multiWriter(a *bytes.Buffer, b *concurrentWriter) *teeWriter { return &teeWriter{a: a, b: b} }

type teeWriter struct {
	a *bytes.Buffer
	b *concurrentWriter
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.a.Write(p)
	return t.b.Write(p)
}
