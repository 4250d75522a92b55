/**
 * The Content-Security-Policy of every renderer response, and the other headers that go with it.
 * Pure, so the policy is tested as a string; mirrors `browserCsp` in electron/host/ws-host.ts
 * except that IPC needs no `connect-src` beyond 'self'.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Radix and react-remove-scroll inject small <style> elements; scripts stay strict.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Headers set on every response of the app protocol, error pages included. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // Files change with every build; the protocol reads them from disk (or the asar) anyway.
    'Cache-Control': 'no-cache',
  }
}
