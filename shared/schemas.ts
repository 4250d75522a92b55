import { z } from 'zod'
import type { Method, Methods } from './contract'

/** Run-time argument schemas, one per method; the compiler keeps them in step with `Methods`. */
export const methodSchemas = {
  'app.info': z.tuple([]),
  'engine.state': z.tuple([]),
  'engine.reconnect': z.tuple([]),
} satisfies { [M in Method]: z.ZodType<Parameters<Methods[M]>> }

export const rpcRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  args: z.array(z.unknown()),
})
