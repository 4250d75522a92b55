package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime"
	"time"
)

// app holds the dependencies shared by the HTTP handlers.
type app struct {
	logger   *slog.Logger
	hostname string
	location *time.Location
	db       *dbChecker
	now      func() time.Time
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.handleRoot)
	mux.HandleFunc("GET /healthz", a.handleHealthz)
	mux.HandleFunc("GET /readyz", a.handleReadyz)
	mux.HandleFunc("GET /version", a.handleVersion)
	return mux
}

func (a *app) handleRoot(w http.ResponseWriter, r *http.Request) {
	a.writeJSON(w, http.StatusOK, map[string]string{
		"message":    "Hello from hello-api!",
		"version":    version,
		"commit":     commit,
		"hostname":   a.hostname,
		"go_version": runtime.Version(),
		"time_zone":  a.location.String(),
		"time":       a.now().In(a.location).Format(time.RFC3339),
	})
}

// handleHealthz is a liveness probe: it succeeds as long as the process
// is able to serve HTTP requests.
func (a *app) handleHealthz(w http.ResponseWriter, r *http.Request) {
	a.writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz is a readiness probe: it also checks that the database
// (if one is configured) can be reached.
func (a *app) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if !a.db.configured() {
		a.writeJSON(w, http.StatusOK, map[string]string{
			"status":   "ok",
			"database": "not configured",
		})
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.db.ping(ctx); err != nil {
		a.logger.Warn("database unreachable", "addr", a.db.addr, "error", err)
		a.writeJSON(w, http.StatusServiceUnavailable, map[string]string{
			"status":   "unavailable",
			"database": "unreachable",
			"error":    err.Error(),
		})
		return
	}
	a.writeJSON(w, http.StatusOK, map[string]string{
		"status":   "ok",
		"database": "reachable",
	})
}

func (a *app) handleVersion(w http.ResponseWriter, r *http.Request) {
	a.writeJSON(w, http.StatusOK, map[string]string{
		"version": version,
		"commit":  commit,
	})
}

func (a *app) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		a.logger.Error("write response", "error", err)
	}
}

// statusRecorder captures the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// logRequests logs one structured line per request.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.Info("request",
			"method", r.Method,
			"path", r.URL.Path,
			"status", rec.status,
			"duration_ms", time.Since(start).Milliseconds(),
			"remote_addr", r.RemoteAddr,
		)
	})
}
