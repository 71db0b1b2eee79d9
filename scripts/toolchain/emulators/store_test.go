package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Concurrent writers (goroutines and processes, as two stacks' plugins and parallel steps are) lose no write and
// never leave a half-written file.
func TestStoreConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(stateEnv, dir)
	s, err := openStore()
	wantNoErr(t, err)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				err := update[vercelWorld](s, "vercel", func(w *vercelWorld) error {
					id := randomID("env_", 8)
					w.Env[id] = &vercelEnv{ID: id, Key: "K"}
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}
		}(i)
	}
	// And a second process writing the same file through `state put` while the goroutines run.
	exe, err := os.Executable()
	wantNoErr(t, err)
	for k := 0; k < 5; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var out bytes.Buffer
				get := exec.Command(exe, "-test.run=TestHelperStateCommand", "--", "get", "github")
				get.Env = append(os.Environ(), "EMULATOR_HELPER=1")
				get.Stdout = &out
				if err := get.Run(); err != nil {
					t.Error(err)
					return
				}
				var w map[string]any
				if err := json.Unmarshal(out.Bytes(), &w); err != nil {
					t.Errorf("a reader saw half a file: %v", err)
					return
				}
				w["touched"] = true
				put := exec.Command(exe, "-test.run=TestHelperStateCommand", "--", "put", "github", strings.TrimSpace(jsonNumber(w["revision"])))
				put.Env = append(os.Environ(), "EMULATOR_HELPER=1")
				put.Stdin = bytes.NewReader(mustJSON(w))
				if put.Run() == nil {
					return
				}
				// Someone wrote in between: read again (the optimistic check at work).
			}
		}()
	}
	wg.Wait()
	w, err := view[vercelWorld](s, "vercel")
	wantNoErr(t, err)
	if len(w.Env) != 200 || w.Revision != 200 {
		t.Fatalf("%d variables at revision %d, want 200 and 200", len(w.Env), w.Revision)
	}
	g, err := view[githubWorld](s, "github")
	wantNoErr(t, err)
	if g.Revision != 5 {
		t.Fatalf("github revision %d after 5 puts", g.Revision)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.json.*"))
	if len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
}

func TestHelperStateCommand(t *testing.T) {
	if os.Getenv("EMULATOR_HELPER") != "1" {
		t.Skip("helper process")
	}
	args := os.Args[len(os.Args)-3:]
	if args[0] == "--" {
		args = args[1:]
	}
	if i := indexOf(os.Args, "--"); i >= 0 {
		args = os.Args[i+1:]
	}
	if err := stateCommand(args, os.Stdin, os.Stdout); err != nil {
		os.Exit(3)
	}
	os.Exit(0)
}

func TestStatePutRefusesAStaleRevision(t *testing.T) {
	t.Setenv(stateEnv, t.TempDir())
	var out bytes.Buffer
	wantNoErr(t, stateCommand([]string{"put", "vercel", "0"}, strings.NewReader(`{"teams":{}}`), &out))
	wantErr(t, stateCommand([]string{"put", "vercel", "0"}, strings.NewReader(`{"teams":{}}`), &out), "changed since revision 0 (now 1)")
	wantErr(t, stateCommand([]string{"get", "nothing"}, nil, &out), "usage")
}

func TestStoreNeedsItsFolder(t *testing.T) {
	t.Setenv(stateEnv, "")
	_, err := openStore()
	wantErr(t, err, stateEnv+" is not set")
}

func indexOf(s []string, v string) int {
	for i, e := range s {
		if e == v {
			return i
		}
	}
	return -1
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
