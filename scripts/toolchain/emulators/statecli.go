package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

var services = map[string]bool{"vercel": true, "github": true, "supabase": true}

// stateCommand: `get <service>` prints the service's world; `put <service> <revision>` replaces it with stdin if its
// revision is still <revision> (a plugin wrote nothing since the caller read it).
func stateCommand(args []string, in io.Reader, out io.Writer) error {
	if len(args) < 2 || !services[args[1]] || (args[0] != "get" && args[0] != "put") {
		return fmt.Errorf("usage: state get <vercel|github|supabase> | state put <vercel|github|supabase> <revision> < file.json")
	}
	s, err := openStore()
	if err != nil {
		return err
	}
	service := args[1]
	if args[0] == "get" {
		return s.locked(service, false, func() error {
			b, err := s.readRaw(service)
			if err != nil {
				return err
			}
			if len(b) == 0 {
				b = []byte("{\"revision\": 0}\n")
			}
			_, err = out.Write(b)
			return err
		})
	}
	if len(args) != 3 {
		return fmt.Errorf("usage: state put %s <revision> < file.json", service)
	}
	want, err := strconv.Atoi(args[2])
	if err != nil {
		return fmt.Errorf("revision %q is not a number", args[2])
	}
	body, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	var next map[string]any
	if err := json.Unmarshal(body, &next); err != nil {
		return fmt.Errorf("stdin is not a JSON object: %w", err)
	}
	return s.locked(service, true, func() error {
		b, err := s.readRaw(service)
		if err != nil {
			return err
		}
		current := struct {
			Revision int `json:"revision"`
		}{}
		if len(b) > 0 {
			if err := json.Unmarshal(b, &current); err != nil {
				return err
			}
		}
		if current.Revision != want {
			return fmt.Errorf("%s changed since revision %d (now %d): read it again", service, want, current.Revision)
		}
		next["revision"] = want + 1
		b, err = json.MarshalIndent(next, "", "  ")
		if err != nil {
			return err
		}
		return s.writeRaw(service, append(b, '\n'))
	})
}
