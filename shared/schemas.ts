import { z } from 'zod'
import { engineImageRefProblem } from './dockerfile/image-ref'

/** A file-system path as a front end sends it. */
export const path = z.string().min(1).max(4096)
/** An image name, tag, digest or id as the engine accepts it: it becomes part of an engine API path, so nothing else passes. */
export const imageRef = z.string().superRefine((ref, ctx) => {
  const problem = engineImageRefProblem(ref)
  if (problem) ctx.addIssue({ code: 'custom', message: `the image name ${problem}` })
})

export const rpcRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  args: z.array(z.unknown()),
})
