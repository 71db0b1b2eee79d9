package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
)

const goodToken = "sbp_1111111111111111111111111111111111111111"

func supabaseServer(t *testing.T) (*httptest.Server, store) {
	t.Setenv(stateEnv, t.TempDir())
	s, err := openStore()
	wantNoErr(t, err)
	b, _ := json.Marshal(map[string]any{"projects": map[string]any{"testrefaaaaaaaaaaaaa": map[string]any{"name": "test"}}})
	wantNoErr(t, s.writeRaw("supabase", b))
	srv := httptest.NewServer(supabaseHandler(s))
	t.Cleanup(srv.Close)
	return srv, s
}

func call(t *testing.T, srv *httptest.Server, method, path, token, contentType string, body []byte) (int, any) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	wantNoErr(t, err)
	defer resp.Body.Close()
	var v any
	_ = json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, v
}

func deployBody(t *testing.T, verifyJWT *bool, content string) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	f, _ := w.CreateFormFile("file", "supabase/functions/hello/index.ts")
	f.Write([]byte(content))
	m, _ := w.CreateFormField("metadata")
	meta := map[string]any{"entrypoint_path": "supabase/functions/hello/index.ts", "name": "hello"}
	if verifyJWT != nil {
		meta["verify_jwt"] = *verifyJWT
	}
	json.NewEncoder(m).Encode(meta)
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

func TestRuleSupabaseAccessToken(t *testing.T) {
	srv, _ := supabaseServer(t)
	wantStatuses(t, srv, []getCase{
		{"a malformed token", "/v1/projects/testrefaaaaaaaaaaaaa", "sbp_notatoken", 401},
		{"an unknown project", "/v1/projects/prodrefbbbbbbbbbbbbb", goodToken, 404},
		{"the project", "/v1/projects/testrefaaaaaaaaaaaaa", goodToken, 200},
	})
}

// getCase: a GET with a token, and the status code the fake must answer it with.
type getCase struct {
	what, path, token string
	want              int
}

func wantStatuses(t *testing.T, srv *httptest.Server, cases []getCase) {
	t.Helper()
	for _, c := range cases {
		if code, _ := call(t, srv, "GET", c.path, c.token, "", nil); code != c.want {
			t.Fatalf("%s: got %d, want %d", c.what, code, c.want)
		}
	}
}

func TestRuleSupabaseDeployAndSecrets(t *testing.T) {
	srv, s := supabaseServer(t)
	off := false
	body, ct := deployBody(t, &off, "Deno.serve(() => new Response('v1'))")
	if code, v := call(t, srv, "POST", "/v1/projects/testrefaaaaaaaaaaaaa/functions/deploy?slug=hello", goodToken, ct, body); code != 201 || v.(map[string]any)["verify_jwt"] != false {
		t.Fatalf("deploy: %d %v", code, v)
	}
	// verify_jwt left out of the metadata keeps what the function had.
	body, ct = deployBody(t, nil, "Deno.serve(() => new Response('v2'))")
	call(t, srv, "POST", "/v1/projects/testrefaaaaaaaaaaaaa/functions/deploy?slug=hello", goodToken, ct, body)
	w, err := view[supabaseWorld](s, "supabase")
	wantNoErr(t, err)
	f := w.Projects["testrefaaaaaaaaaaaaa"].Functions["hello"]
	if f.Version != 2 || f.VerifyJWT || f.Digest == "" {
		t.Fatalf("function: %+v", f)
	}
	secrets, _ := json.Marshal([]map[string]string{{"name": "CRON_SECRET", "value": "abc"}})
	if code, _ := call(t, srv, "POST", "/v1/projects/testrefaaaaaaaaaaaaa/secrets", goodToken, "application/json", secrets); code != 201 {
		t.Fatalf("secrets set: %d", code)
	}
	_, list := call(t, srv, "GET", "/v1/projects/testrefaaaaaaaaaaaaa/secrets", goodToken, "", nil)
	got := list.([]any)[0].(map[string]any)
	if got["name"] != "CRON_SECRET" || got["value"] != secretDigest("abc") {
		t.Fatalf("secrets list shows %v, want the name and a digest", got)
	}
	reserved, _ := json.Marshal([]map[string]string{{"name": "SUPABASE_URL", "value": "x"}})
	if code, _ := call(t, srv, "POST", "/v1/projects/testrefaaaaaaaaaaaaa/secrets", goodToken, "application/json", reserved); code != 400 {
		t.Fatalf("a SUPABASE_ secret got %d", code)
	}
}
