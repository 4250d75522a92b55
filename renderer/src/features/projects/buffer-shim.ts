// dockerfile-ast (under dockerfile-utils, the validator behind checkDockerfile) looks for a UTF-8
// byte order mark with `Buffer.from(char, 'UTF-8')`, the one Node API it touches. A page has no
// Buffer; this gives it exactly that much, so the validator runs in the renderer.
const scope = globalThis as { Buffer?: unknown }
if (scope.Buffer === undefined) scope.Buffer = { from: (text: string) => new TextEncoder().encode(String(text)) }

export {}
