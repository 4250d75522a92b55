// Command hello-api is a small HTTP service used as the default example
// project in Slipway. It only depends on the Go standard library.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Set at build time, e.g.:
//
//	go build -ldflags "-X main.version=1.2.3 -X main.commit=abc1234"
var (
	version = "dev"
	commit  = "none"
)

const shutdownTimeout = 10 * time.Second

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	slog.SetDefault(logger)

	if err := run(logger); err != nil {
		logger.Error("fatal error", "error", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger) error {
	port := getenv("PORT", "8080")
	tzName := getenv("TZ_NAME", "UTC")

	loc, err := time.LoadLocation(tzName)
	if err != nil {
		return fmt.Errorf("load time zone %q (is tzdata available?): %w", tzName, err)
	}

	db, err := newDBChecker(os.Getenv("DATABASE_URL"))
	if err != nil {
		return fmt.Errorf("invalid DATABASE_URL: %w", err)
	}

	hostname, err := os.Hostname()
	if err != nil {
		hostname = "unknown"
	}

	app := &app{
		logger:   logger,
		hostname: hostname,
		location: loc,
		db:       db,
		now:      time.Now,
	}

	srv := &http.Server{
		Addr:              ":" + port,
		Handler:           logRequests(logger, app.routes()),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() {
		logger.Info("starting server",
			"addr", srv.Addr,
			"version", version,
			"commit", commit,
			"time_zone", loc.String(),
			"database", db.describe(),
		)
		errc <- srv.ListenAndServe()
	}()

	select {
	case err := <-errc:
		// ListenAndServe returned before any signal, e.g. the port is taken.
		return err
	case <-ctx.Done():
	}

	logger.Info("shutting down", "timeout", shutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("server stopped")
	return nil
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
