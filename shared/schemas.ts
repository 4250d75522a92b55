import { z } from 'zod'
import type { Method, Methods } from './contract'

/** Run-time argument schemas, one per method; the compiler keeps them in step with `Methods`. */
export const methodSchemas = {
  'app.info': z.tuple([]),
  'engine.state': z.tuple([]),
  'engine.reconnect': z.tuple([]),
  'project.analyze': z.union([
    z.tuple([z.string().min(1).max(4096)]),
    z.tuple([z.string().min(1).max(4096), z.object({ main: z.string().max(4096).optional() }).strict()]),
  ]),
} satisfies { [M in Method]: z.ZodType<Parameters<Methods[M]>> }

export const rpcRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  args: z.array(z.unknown()),
})
