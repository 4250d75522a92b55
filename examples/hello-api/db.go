package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
)

// defaultPorts maps common database URL schemes to their default port.
var defaultPorts = map[string]string{
	"postgres":   "5432",
	"postgresql": "5432",
	"mysql":      "3306",
	"redis":      "6379",
	"mongodb":    "27017",
}

// dbChecker checks whether the database named by DATABASE_URL accepts TCP
// connections. It deliberately does not speak any database protocol, so the
// service needs nothing beyond the standard library.
type dbChecker struct {
	addr string // host:port, empty when no database is configured
}

// newDBChecker parses rawURL (e.g. "postgres://user:pass@db:5432/app").
// An empty rawURL means no database is configured.
func newDBChecker(rawURL string) (*dbChecker, error) {
	if rawURL == "" {
		return &dbChecker{}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error repeats the raw URL, which may contain a password.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, err
	}
	host := u.Hostname()
	if host == "" {
		return nil, errors.New("missing host")
	}
	port := u.Port()
	if port == "" {
		port = defaultPorts[u.Scheme]
	}
	if port == "" {
		return nil, fmt.Errorf("missing port and no default known for scheme %q", u.Scheme)
	}
	return &dbChecker{addr: net.JoinHostPort(host, port)}, nil
}

func (c *dbChecker) configured() bool { return c.addr != "" }

// describe returns a log-safe description (never the credentials).
func (c *dbChecker) describe() string {
	if !c.configured() {
		return "not configured"
	}
	return c.addr
}

// ping opens and immediately closes a TCP connection to the database.
func (c *dbChecker) ping(ctx context.Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	return conn.Close()
}
