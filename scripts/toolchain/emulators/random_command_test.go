package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/crypto/bcrypt"
)

func TestRuleRandomLength(t *testing.T) {
	x := newH(t, "random")
	wantContains(t, x.check(randomPasswordToken, plain{"length": 0.0}, nil), "must be at least 1")
	wantContains(t, x.check(randomPasswordToken, plain{"length": 3.0, "minUpper": 2.0, "minNumeric": 2.0}, nil), "must be at least sum of min_upper + min_lower + min_numeric + min_special")
	wantContains(t, x.check(randomStringToken, plain{}, nil), `The argument "length" is required`)
	wantEmpty(t, x.check(randomPasswordToken, plain{"length": 48.0, "special": false}, nil))
}

func TestRuleRandomResultAndIDs(t *testing.T) {
	x := newH(t, "random")
	resp, err := x.p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: testURN, Type: randomPasswordToken, Properties: pstruct(t, plain{"length": 48.0, "special": false})})
	wantNoErr(t, err)
	out := x.unpack(resp.GetProperties())
	result := str(out, "result")
	if resp.GetId() != "none" || len(result) != 48 || strings.ContainsAny(result, "!@#$%&*()-_=+[]{}<>:?") {
		t.Fatalf("password id %q result %q", resp.GetId(), result)
	}
	if !secretKeys(t, resp.GetProperties())["result"] || !secretKeys(t, resp.GetProperties())["bcryptHash"] {
		t.Fatal("result and bcryptHash must be secret")
	}
	wantNoErr(t, bcrypt.CompareHashAndPassword([]byte(str(out, "bcryptHash")), []byte(result)))
	id, sout := x.mustCreate(randomStringToken, plain{"length": 12.0, "upper": false, "numeric": false, "special": false})
	if id != str(sout, "result") || strings.ToLower(id) != id {
		t.Fatalf("string id %q result %q", id, sout["result"])
	}
	// Preview: the result is unknown until the update.
	_, props := x.preview(randomPasswordToken, plain{"length": 48.0})
	if !unknownKeys(t, props)["result"] {
		t.Fatal("a previewed password has a known result")
	}
}

func TestRuleRandomReplace(t *testing.T) {
	x := newH(t, "random")
	_, out := x.mustCreate(randomPasswordToken, plain{"length": 48.0, "special": false})
	for k, v := range map[string]any{"length": 40.0, "special": true, "keepers": plain{"rotate": "1"}, "overrideSpecial": "_"} {
		news := plain{"length": 48.0, "special": false}
		news[k] = v
		if d := x.diff(randomPasswordToken, out, news); len(d.GetReplaces()) != 1 {
			t.Errorf("%s: replaces %v", k, d.GetReplaces())
		}
	}
	if d := x.diff(randomPasswordToken, out, plain{"length": 48.0, "special": false}); len(d.GetDiffs()) != 0 {
		t.Fatalf("no change diffs: %v", d.GetDiffs())
	}
	// Read changes nothing: there is no remote.
	_, read, _ := x.read(randomPasswordToken, "none", out, nil)
	if read["result"] != out["result"] {
		t.Fatal("a refresh changed a password")
	}
}

func TestRuleRandomImport(t *testing.T) {
	x := newH(t, "random")
	id, out, _ := x.read(randomPasswordToken, "existingValue123", nil, nil)
	if id != "none" || out["result"] != "existingValue123" || out["length"] != 16.0 || out["special"] != true {
		t.Fatalf("import: %s %v", id, out)
	}
}

func commandInputs(extra plain) plain {
	in := plain{"create": "echo created; echo oops >&2", "logging": "none", "addPreviousOutputInEnv": false}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

func TestRuleCommandPreviewID(t *testing.T) {
	x := newH(t, "command")
	marker := filepath.Join(t.TempDir(), "ran")
	id, props := x.preview(commandToken, commandInputs(plain{"create": "touch " + marker}))
	if !strings.HasPrefix(id, "res") || len(id) != len("res")+8 {
		t.Fatalf("preview id %q, want the name and 8 hex characters", id)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a preview ran the command")
	}
	if !unknownKeys(t, props)["stdout"] {
		t.Fatal("stdout is known at preview")
	}
}

func TestRuleCommandOutputAndFailure(t *testing.T) {
	x := newH(t, "command")
	_, out := x.mustCreate(commandToken, commandInputs(nil))
	if out["stdout"] != "created" || out["stderr"] != "oops" {
		t.Fatalf("stdout %q stderr %q: one trailing newline is trimmed", out["stdout"], out["stderr"])
	}
	_, _, err := x.create(commandToken, commandInputs(plain{"create": "echo partial; echo broken >&2; exit 3"}))
	// stdout and stderr interleaved as they came (two pipes: their order is not fixed).
	wantErr(t, err, "exit status 3: running \"echo partial; echo broken >&2; exit 3\":\n")
	wantContains(t, err.Error(), "partial\n")
	wantContains(t, err.Error(), "broken\n")
}

func TestRuleCommandDiffAndUpdate(t *testing.T) {
	x := newH(t, "command")
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	in := commandInputs(plain{"create": "echo create >> " + log, "triggers": []any{"a"}})
	id, out := x.mustCreate(commandToken, in)
	changed := clone(in)
	changed["triggers"] = []any{"b"}
	if d := x.diff(commandToken, out, changed); len(d.GetReplaces()) != 1 || d.GetReplaces()[0] != "triggers" {
		t.Fatalf("a trigger change must replace: %v", d.GetReplaces())
	}
	env := clone(in)
	env["environment"] = plain{"X": "1"}
	if d := x.diff(commandToken, out, env); len(d.GetDiffs()) != 1 || len(d.GetReplaces()) != 0 {
		t.Fatalf("another input change is an update: %v %v", d.GetDiffs(), d.GetReplaces())
	}
	_, err := x.update(commandToken, id, out, env) // no update command: runs create again
	wantNoErr(t, err)
	env["update"] = "echo update >> " + log
	_, err = x.update(commandToken, id, out, env)
	wantNoErr(t, err)
	b, _ := os.ReadFile(log)
	if string(b) != "create\ncreate\nupdate\n" {
		t.Fatalf("ran %q", b)
	}
}

func TestRuleCommandEnvironment(t *testing.T) {
	t.Setenv("FROM_ENGINE", "inherited")
	in := plain{"environment": plain{"EXTRA": "given"}}
	env := strings.Join(commandEnvironment(in, "previous out", ""), "\n")
	for _, want := range []string{"FROM_ENGINE=inherited", "EXTRA=given", "PULUMI_COMMAND_STDOUT=previous out"} {
		wantContains(t, env, want)
	}
	if strings.Contains(env, "PULUMI_COMMAND_STDERR=") {
		t.Fatal("an empty previous stderr is not passed")
	}
	in["addPreviousOutputInEnv"] = false
	if strings.Contains(strings.Join(commandEnvironment(in, "previous out", ""), "\n"), "PULUMI_COMMAND_STDOUT") {
		t.Fatal("addPreviousOutputInEnv: false passes no previous output")
	}
}

func TestRuleCommandCheckUnknownSecret(t *testing.T) {
	x := newH(t, "command")
	props := resource.PropertyMap{
		"create":      resource.NewStringProperty("true"),
		"environment": resource.NewObjectProperty(resource.PropertyMap{"S": resource.MakeSecret(resource.MakeComputed(resource.NewStringProperty(""))), "U": resource.MakeComputed(resource.NewStringProperty(""))}),
	}
	news, err := plugin.MarshalProperties(props, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	wantNoErr(t, err)
	resp, err := x.p.Check(context.Background(), &pulumirpc.CheckRequest{Urn: testURN, Type: commandToken, News: news})
	wantNoErr(t, err)
	got, err := plugin.UnmarshalProperties(resp.GetInputs(), plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	wantNoErr(t, err)
	envs := got["environment"].ObjectValue()
	if !envs["S"].IsSecret() || envs["S"].SecretValue().Element.StringValue() != "" {
		t.Fatalf("an unknown secret checks as %v, want an empty secret string", envs["S"])
	}
	if !envs["U"].IsComputed() {
		t.Fatalf("a plain unknown stays unknown, got %v", envs["U"])
	}
}

func TestRuleCommandSecretOutputs(t *testing.T) {
	x := newH(t, "command")
	props := resource.PropertyMap{"create": resource.NewStringProperty("echo hi"), "environment": resource.NewObjectProperty(resource.PropertyMap{"S": resource.MakeSecret(resource.NewStringProperty("x"))})}
	in, err := plugin.MarshalProperties(props, plugin.MarshalOptions{KeepSecrets: true})
	wantNoErr(t, err)
	resp, err := x.p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: testURN, Type: commandToken, Properties: in})
	wantNoErr(t, err)
	if s := secretKeys(t, resp.GetProperties()); !s["stdout"] || !s["stderr"] || !s["create"] {
		t.Fatalf("with a secret input every output is secret, got %v", s)
	}
}
