import { useEffect, useState } from 'react'
import { toWireError, type WireError } from '../../../../shared/errors'
import type { ImageDetails } from '../../../../shared/types/images'
import { call } from '../../api/client'

/** What the engine says about an image (`images.inspect`), asked once per id; null until it answers. */
export function useImageDetails(imageId: string | null | undefined): { details: ImageDetails | null; error: WireError | null } {
  const [state, setState] = useState<{ id: string; details: ImageDetails | null; error: WireError | null } | null>(null)
  useEffect(() => {
    if (!imageId) return
    let live = true
    call('images.inspect', imageId).then(
      (details) => live && setState({ id: imageId, details, error: null }),
      (e: unknown) => live && setState({ id: imageId, details: null, error: toWireError(e) }),
    )
    return () => {
      live = false
    }
  }, [imageId])
  return state && state.id === imageId ? { details: state.details, error: state.error } : { details: null, error: null }
}
