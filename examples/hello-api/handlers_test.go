package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func newTestApp(t *testing.T, databaseURL string) *app {
	t.Helper()
	db, err := newDBChecker(databaseURL)
	if err != nil {
		t.Fatalf("newDBChecker(%q): %v", databaseURL, err)
	}
	loc, err := time.LoadLocation("UTC")
	if err != nil {
		t.Fatal(err)
	}
	return &app{
		logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		hostname: "test-host",
		location: loc,
		db:       db,
		now:      func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) },
	}
}

// get performs a request against the app's router and decodes the JSON body.
func get(t *testing.T, a *app, path string) (int, map[string]string) {
	t.Helper()
	rec := httptest.NewRecorder()
	a.routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))

	if rec.Code == http.StatusNotFound {
		return rec.Code, nil
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s: Content-Type = %q, want application/json", path, ct)
	}
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("GET %s: decode body %q: %v", path, rec.Body.String(), err)
	}
	return rec.Code, body
}

func TestHealthz(t *testing.T) {
	code, body := get(t, newTestApp(t, ""), "/healthz")
	if code != http.StatusOK || body["status"] != "ok" {
		t.Fatalf("got %d %v, want 200 status=ok", code, body)
	}
}

func TestRoot(t *testing.T) {
	code, body := get(t, newTestApp(t, ""), "/")
	if code != http.StatusOK {
		t.Fatalf("status = %d, want 200", code)
	}
	want := map[string]string{
		"version":   version,
		"commit":    commit,
		"hostname":  "test-host",
		"time_zone": "UTC",
		"time":      "2024-05-01T12:00:00Z",
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("%s = %q, want %q", k, body[k], v)
		}
	}
	if body["go_version"] == "" {
		t.Error("go_version is empty")
	}
}

func TestUnknownPath(t *testing.T) {
	if code, _ := get(t, newTestApp(t, ""), "/nope"); code != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", code)
	}
}

func TestReadyzWithoutDatabase(t *testing.T) {
	code, body := get(t, newTestApp(t, ""), "/readyz")
	if code != http.StatusOK || body["database"] != "not configured" {
		t.Fatalf("got %d %v, want 200 database=not configured", code, body)
	}
}

func TestReadyzDatabaseReachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	a := newTestApp(t, "postgres://user:secret@"+ln.Addr().String()+"/app?sslmode=disable")
	code, body := get(t, a, "/readyz")
	if code != http.StatusOK || body["database"] != "reachable" {
		t.Fatalf("got %d %v, want 200 database=reachable", code, body)
	}
}

func TestReadyzDatabaseUnreachable(t *testing.T) {
	// Grab a free port, then close the listener so nothing is listening on it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	a := newTestApp(t, "postgres://user:secret@"+addr+"/app")
	code, body := get(t, a, "/readyz")
	if code != http.StatusServiceUnavailable || body["database"] != "unreachable" {
		t.Fatalf("got %d %v, want 503 database=unreachable", code, body)
	}
}

func TestNewDBChecker(t *testing.T) {
	tests := []struct {
		url     string
		want    string
		wantErr bool
	}{
		{url: "", want: ""},
		{url: "postgres://u:p@db:6543/app", want: "db:6543"},
		{url: "postgres://u:p@db/app", want: "db:5432"},
		{url: "postgresql://localhost/app", want: "localhost:5432"},
		{url: "postgres:///app", wantErr: true},
		{url: "foo://db/app", wantErr: true},
	}
	for _, tt := range tests {
		c, err := newDBChecker(tt.url)
		if tt.wantErr {
			if err == nil {
				t.Errorf("newDBChecker(%q): want error, got addr %q", tt.url, c.addr)
			}
			continue
		}
		if err != nil {
			t.Errorf("newDBChecker(%q): %v", tt.url, err)
			continue
		}
		if c.addr != tt.want {
			t.Errorf("newDBChecker(%q).addr = %q, want %q", tt.url, c.addr, tt.want)
		}
	}
}
