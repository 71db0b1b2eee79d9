package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// A local fake of the Supabase Management API endpoints that `supabase functions deploy --use-api` and `supabase
// secrets set` (CLI 3.1.0, npm `supabase`) call, so a release's function steps run for real offline. The CLI is
// pointed at it with SUPABASE_PROFILE=<a YAML profile file> whose api_url is this server (supabase/cli
// apps/cli-go/internal/utils/profile.go LoadProfile: a profile name that is not built in is read as a file; the TS
// commands honour it too, apps/cli/src/legacy/commands/secrets/set/SIDE_EFFECTS.md). Measured with the real CLI
// 3.1.0: deploy calls GET /v1/projects/{ref}/functions, POST /v1/projects/{ref}/functions/deploy?slug=<name>
// (multipart: the files, then `metadata` with verify_jwt) and GET /v1/projects/{ref}; secrets set calls
// POST /v1/projects/{ref}/secrets ([{name, value}]) and GET /v1/projects/{ref}.
//
// `pulumi-resource-emulator supabase-api` listens on 127.0.0.1 (a free port), writes <state>/supabase-profile.yaml
// and prints the port; the state is supabase.json in the same folder: deployed functions with verify_jwt and a
// digest of their files, secret names with a digest of their values (as the real API lists them: a digest, never
// the value).

type supabaseWorld struct {
	Revision int                         `json:"revision"`
	Projects map[string]*supabaseProject `json:"projects"`
}

type supabaseProject struct {
	Name      string                       `json:"name"`
	Functions map[string]*supabaseFunction `json:"functions"`
	Secrets   map[string]*supabaseSecret   `json:"secrets"`
}

type supabaseFunction struct {
	ID        string `json:"id"`
	Slug      string `json:"slug"`
	Version   int    `json:"version"`
	VerifyJWT bool   `json:"verify_jwt"`
	// Digest of the uploaded files (name and content, sorted by name) and the entrypoint.
	Digest         string   `json:"digest"`
	Files          []string `json:"files"`
	EntrypointPath string   `json:"entrypoint_path"`
}

type supabaseSecret struct {
	Digest string `json:"digest"`
}

func (w *supabaseWorld) revision() *int { return &w.Revision }
func (w *supabaseWorld) normalize() {
	if w.Projects == nil {
		w.Projects = map[string]*supabaseProject{}
	}
	for _, p := range w.Projects {
		if p.Functions == nil {
			p.Functions = map[string]*supabaseFunction{}
		}
		if p.Secrets == nil {
			p.Secrets = map[string]*supabaseSecret{}
		}
	}
}

// accessTokenRe: apps/cli-go/internal/utils/access_token.go.
var accessTokenRe = regexp.MustCompile(`^sbp_(oauth_)?[a-f0-9]{40}$`)

var projectPathRe = regexp.MustCompile(`^/v1/projects/([a-z]{20})(/.*)?$`)

func supabaseAPI(args []string, out io.Writer) error {
	return serveAPI(out, "supabase-profile.yaml", func(port int) string {
		return fmt.Sprintf("# The offline fake of the Supabase Management API (scripts/toolchain/emulators/supabase.go).\nname: deploy-guardrails-emulator\napi_url: http://127.0.0.1:%d\ndashboard_url: http://127.0.0.1:%d/dashboard\nproject_host: supabase.co\n", port, port)
	}, supabaseHandler)
}

// serveAPI serves an emulated HTTP API on a loopback port of its own: it writes where clients find the port
// (announcement, in the state folder) and prints the port before it serves.
func serveAPI(out io.Writer, announcement string, content func(port int) string, handler func(store) http.Handler) error {
	s, err := openStore()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := os.WriteFile(filepath.Join(s.dir, announcement), []byte(content(port)), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d\n", port)
	return http.Serve(ln, handler(s))
}

func jsonReply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func supabaseHandler(s store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !accessTokenRe.MatchString(token) {
			jsonReply(w, 401, map[string]string{"message": "Unauthorized"})
			return
		}
		m := projectPathRe.FindStringSubmatch(r.URL.Path)
		if m == nil {
			jsonReply(w, 404, map[string]string{"message": "the deploy-guardrails Supabase fake does not model " + r.Method + " " + r.URL.Path})
			return
		}
		ref, rest := m[1], m[2]
		var status int
		var reply any
		err := update[supabaseWorld](s, "supabase", func(world *supabaseWorld) error {
			proj := world.Projects[ref]
			if proj == nil {
				status, reply = 404, map[string]string{"message": "Project not found"}
				return fmt.Errorf("no project") // write nothing
			}
			status, reply = supabaseRoute(ref, proj, r, rest)
			if status >= 300 || r.Method == http.MethodGet {
				return fmt.Errorf("nothing to write")
			}
			return nil
		})
		_ = err
		jsonReply(w, status, reply)
	})
}

func supabaseRoute(ref string, proj *supabaseProject, r *http.Request, rest string) (int, any) {
	switch {
	case r.Method == http.MethodGet && rest == "":
		return 200, map[string]any{"id": ref, "ref": ref, "name": proj.Name, "organization_id": "emulated-org", "region": "eu-central-1",
			"status": "ACTIVE_HEALTHY", "created_at": "2026-01-01T00:00:00Z", "database": map[string]any{"host": "db." + ref + ".supabase.co", "version": "17"}}
	case r.Method == http.MethodGet && rest == "/functions":
		list := []any{}
		for _, slug := range sortedKeys(proj.Functions) {
			list = append(list, functionJSON(proj.Functions[slug]))
		}
		return 200, list
	case r.Method == http.MethodPost && rest == "/functions/deploy":
		return deployFunction(proj, r)
	case r.Method == http.MethodPost && rest == "/secrets":
		var body []struct{ Name, Value string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return 400, map[string]string{"message": "invalid body: " + err.Error()}
		}
		for _, sec := range body {
			// Names starting with SUPABASE_ are the platform's own; the CLI already drops them with "Env name cannot
			// start with SUPABASE_, skipping" (apps/cli-go/internal/secrets/set/set.go), so this answer is a backstop.
			if strings.HasPrefix(sec.Name, "SUPABASE_") {
				return 400, map[string]string{"message": "Env var name cannot start with SUPABASE_"}
			}
		}
		for _, sec := range body {
			proj.Secrets[sec.Name] = &supabaseSecret{Digest: secretDigest(sec.Value)}
		}
		return 201, nil
	case r.Method == http.MethodGet && rest == "/secrets":
		list := []any{}
		for _, name := range sortedKeys(proj.Secrets) {
			list = append(list, map[string]string{"name": name, "value": proj.Secrets[name].Digest})
		}
		return 200, list
	}
	return 404, map[string]string{"message": "the deploy-guardrails Supabase fake does not model " + r.Method + " /v1/projects/" + ref + rest}
}

// secretDigest: `secrets list` shows a SHA-256 digest of each value, never the value.
func secretDigest(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

func functionJSON(f *supabaseFunction) map[string]any {
	return map[string]any{"id": f.ID, "slug": f.Slug, "name": f.Slug, "version": f.Version, "status": "ACTIVE", "verify_jwt": f.VerifyJWT,
		"entrypoint_path": f.EntrypointPath, "created_at": 1767225600000, "updated_at": 1767225600000}
}

func deployFunction(proj *supabaseProject, r *http.Request) (int, any) {
	slug := r.URL.Query().Get("slug")
	if slug == "" {
		return 400, map[string]string{"message": "slug is required"}
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return 400, map[string]string{"message": "expected a multipart body"}
	}
	reader := multipart.NewReader(r.Body, params["boundary"])
	files := map[string][]byte{}
	var meta struct {
		EntrypointPath string `json:"entrypoint_path"`
		VerifyJWT      *bool  `json:"verify_jwt"`
	}
	for {
		part, err := reader.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 400, map[string]string{"message": err.Error()}
		}
		b, _ := io.ReadAll(part)
		if part.FormName() == "metadata" {
			if err := json.Unmarshal(bytes.TrimSpace(b), &meta); err != nil {
				return 400, map[string]string{"message": "invalid metadata: " + err.Error()}
			}
		} else {
			// The path as sent (Part.FileName keeps only the base name).
			_, disposition, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
			files[disposition["filename"]] = b
		}
	}
	if len(files) == 0 || files[meta.EntrypointPath] == nil {
		return 400, map[string]string{"message": "the entrypoint " + meta.EntrypointPath + " was not uploaded"}
	}
	names := sortedKeys(files)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	f := proj.Functions[slug]
	if f == nil {
		// verify_jwt defaults to true for a new function.
		f = &supabaseFunction{ID: randomID("", 8) + "-" + randomID("", 4), Slug: slug, VerifyJWT: true}
		proj.Functions[slug] = f
	}
	if meta.VerifyJWT != nil {
		f.VerifyJWT = *meta.VerifyJWT
	}
	f.Version++
	f.Digest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	f.Files = names
	f.EntrypointPath = meta.EntrypointPath
	sort.Strings(f.Files)
	return 201, functionJSON(f)
}
