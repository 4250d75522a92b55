import { z } from 'zod'

/** A file-system path as a front end sends it. */
export const path = z.string().min(1).max(4096)
/** An image name, tag, digest or id as the engine accepts it. */
export const imageRef = z.string().min(1).max(512).regex(/^[^\s]+$/, 'must not contain spaces')

export const rpcRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  args: z.array(z.unknown()),
})
