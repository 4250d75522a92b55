import { BadRequest, toWireError } from '../../shared/errors'
import { contract, type Handlers, type Method } from '../../shared/contract'
import { MAX_REQUEST_BYTES, type RpcResponse } from '../../shared/rpc'
import { rpcRequestSchema } from '../../shared/schemas'

/**
 * Validates one request at the boundary and runs its handler. Never throws: every failure,
 * including a malformed envelope, becomes `{error: {name, message, detail}}`.
 */
export async function dispatch(handlers: Handlers, raw: unknown, size?: number): Promise<RpcResponse> {
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : -1
  const fail = (e: unknown): RpcResponse => ({ id, error: toWireError(e) })

  const bytes = size ?? approximateSize(raw)
  if (bytes > MAX_REQUEST_BYTES)
    return fail(new BadRequest(`Request too large (${bytes} bytes).`, `The limit is ${MAX_REQUEST_BYTES} bytes per request.`))

  const envelope = rpcRequestSchema.safeParse(raw)
  if (!envelope.success) return fail(new BadRequest('Malformed request.', 'Expected {id, method, args[]}.'))
  const { method, args } = envelope.data

  if (!Object.hasOwn(contract, method)) return fail(new BadRequest(`Unknown method "${method}".`))
  const schema = contract[method as Method].args
  const parsed = schema.safeParse(args)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? `argument ${i.path.join('.')}` : 'arguments'}: ${i.message}`)
    return fail(new BadRequest(`Invalid arguments for "${method}".`, issues.join('; ')))
  }

  try {
    const handler = handlers[method as Method] as (...a: unknown[]) => unknown
    return { id, result: await handler(...(parsed.data as unknown[])) }
  } catch (e) {
    return fail(e)
  }
}

function approximateSize(raw: unknown): number {
  try {
    return JSON.stringify(raw)?.length ?? 0
  } catch {
    return Number.POSITIVE_INFINITY
  }
}
