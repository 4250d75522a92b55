import { useEffect, useState } from 'react'
import { toWireError, type WireError } from '../../../../shared/errors'
import type { ImageDetails } from '../../../../shared/types/images'
import { call } from '../../api/client'

/**
 * The last answers, by image id. What an id names does not change, so a Swap or a reopen shows them at
 * once instead of an empty summary for a round trip and a second render; they are still asked again,
 * and an answer that differs (a tag added meanwhile) replaces them.
 */
const known = new Map<string, ImageDetails>()
const KNOWN_MAX = 16

function remember(id: string, details: ImageDetails): boolean {
  const before = known.get(id)
  known.delete(id)
  known.set(id, details)
  if (known.size > KNOWN_MAX) known.delete(known.keys().next().value as string)
  return before !== undefined && JSON.stringify(before) === JSON.stringify(details)
}

/** What the engine says about an image (`images.inspect`), asked once per id; null until it answers (or known from before). */
export function useImageDetails(imageId: string | null | undefined): { details: ImageDetails | null; error: WireError | null } {
  const [state, setState] = useState<{ id: string; details: ImageDetails | null; error: WireError | null } | null>(null)
  useEffect(() => {
    if (!imageId) return
    let live = true
    call('images.inspect', imageId).then(
      (details) => {
        // The same as shown from before: nothing to render again.
        if (remember(imageId, details)) return
        if (live) setState({ id: imageId, details, error: null })
      },
      (e: unknown) => live && setState({ id: imageId, details: null, error: toWireError(e) }),
    )
    return () => {
      live = false
    }
  }, [imageId])
  if (state && state.id === imageId) return { details: state.details, error: state.error }
  const before = imageId ? known.get(imageId) : undefined
  return { details: before ?? null, error: null }
}
