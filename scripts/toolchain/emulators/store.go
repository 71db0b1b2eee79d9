package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// stateEnv names the folder that holds the emulated remote objects of one run: one JSON file per service
// (vercel.json, github.json, supabase.json). Every plugin process of the run (both stacks, parallel steps) and
// the tests' helper (scripts/engine/remote.ts, through `pulumi-resource-emulator state ...`) read and write them
// under an exclusive flock(2) on <service>.json.lock, and replace a file only by rename, so a reader never sees
// half a file and no two writers interleave.
const stateEnv = "DEPLOY_GUARDRAILS_EMULATOR_STATE"

type store struct{ dir string }

func openStore() (store, error) {
	dir := os.Getenv(stateEnv)
	if dir == "" {
		return store{}, fmt.Errorf("%s is not set: the offline emulator providers keep the remote objects of a run in that folder "+
			"(scripts/engine/workspace.ts sets it for every engine workspace; set it to an empty folder to run pulumi by hand)", stateEnv)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return store{}, fmt.Errorf("%s=%s: %w", stateEnv, dir, err)
	}
	return store{dir: dir}, nil
}

func (s store) path(service string) string { return filepath.Join(s.dir, service+".json") }

// locked runs fn while holding the service's lock (exclusive or shared).
func (s store) locked(service string, exclusive bool, fn func() error) error {
	f, err := os.OpenFile(s.path(service)+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		if err = syscall.Flock(int(f.Fd()), how); !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("lock %s: %w", s.path(service), err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN) //nolint:errcheck
	return fn()
}

func (s store) readRaw(service string) ([]byte, error) {
	b, err := os.ReadFile(s.path(service))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

func (s store) writeRaw(service string, b []byte) error {
	tmp, err := os.CreateTemp(s.dir, "."+service+".json.*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), s.path(service))
}

// world is what every service file holds besides its own objects: a revision, bumped on every write, so the tests'
// helper can refuse to overwrite a change it did not see.
type world interface {
	revision() *int
	normalize()
}

// update reads the service's world, lets fn change it and writes it back, all under the exclusive lock. An error
// from fn writes nothing: a refused API call changes nothing remote.
func update[T any, P interface {
	*T
	world
}](s store, service string, fn func(P) error) error {
	return s.locked(service, true, func() error {
		w, err := load[T, P](s, service)
		if err != nil {
			return err
		}
		if err := fn(w); err != nil {
			return err
		}
		*w.revision()++
		b, err := json.MarshalIndent(w, "", "  ")
		if err != nil {
			return err
		}
		return s.writeRaw(service, append(b, '\n'))
	})
}

// view reads the service's world under the shared lock.
func view[T any, P interface {
	*T
	world
}](s store, service string) (P, error) {
	var w P
	err := s.locked(service, false, func() error {
		var err error
		w, err = load[T, P](s, service)
		return err
	})
	return w, err
}

func load[T any, P interface {
	*T
	world
}](s store, service string) (P, error) {
	w := P(new(T))
	b, err := s.readRaw(service)
	if err != nil {
		return nil, err
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, w); err != nil {
			return nil, fmt.Errorf("%s is not valid emulator state: %w", s.path(service), err)
		}
	}
	w.normalize()
	return w, nil
}
