#!/usr/bin/env bash
# Chromium in a network namespace of its own (see test/e2e/loopback-proxy.ts): only a loopback
# interface, where netns-forward.mjs carries the proxy port to the test process's SOCKS server.
# Playwright runs this as Chromium: its arguments (and the debugging pipe on fds 3 and 4) pass on.
set -euo pipefail
exec unshare --net -- bash -c '
  set -euo pipefail
  ip link set lo up
  "$SLIPWAY_NODE" "$SLIPWAY_NETNS_FORWARDER" &
  # Chromium starts once the forwarder listens (a connection to it is harmless: it closes at once).
  for _ in $(seq 1 200); do
    if (exec 9<>"/dev/tcp/127.0.0.1/$SLIPWAY_NETNS_PORT") 2>/dev/null; then break; fi
    sleep 0.01
  done
  exec "$SLIPWAY_CHROMIUM" "$@"
' chromium "$@"
