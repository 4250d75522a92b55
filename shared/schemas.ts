import { z } from 'zod'
import { PROJECT_FILE_NAMES, type Method, type Methods } from './contract'
import { settingsPatchSchema } from './settings'

const path = z.string().min(1).max(4096)
/** An image name, tag, digest or id as the engine accepts it. */
const imageRef = z.string().min(1).max(512).regex(/^[^\s]+$/, 'must not contain spaces')

/** Run-time argument schemas, one per method; the compiler keeps them in step with `Methods`. */
export const methodSchemas = {
  'app.info': z.tuple([]),
  'engine.state': z.tuple([]),
  'engine.reconnect': z.tuple([]),
  'project.analyze': z.union([z.tuple([path]), z.tuple([path, z.object({ main: z.string().max(4096).optional() }).strict()])]),
  'project.pick': z.tuple([]),
  'project.forget': z.tuple([path]),
  'project.writeFile': z.tuple([path, z.enum(PROJECT_FILE_NAMES), z.string().max(1024 * 512), z.string().max(1024 * 512).nullable()]),
  'settings.get': z.tuple([]),
  'settings.update': z.tuple([settingsPatchSchema]),
  'images.list': z.tuple([]),
  'layers.index': z.union([z.tuple([imageRef]), z.tuple([imageRef, z.object({ refresh: z.boolean().optional() }).strict()])]),
  'layers.cancel': z.tuple([z.string().uuid()]),
  'layers.get': z.tuple([z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be an image id (sha256:…)')]),
} satisfies { [M in Method]: z.ZodType<Parameters<Methods[M]>> }

export const rpcRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  args: z.array(z.unknown()),
})
