import { showText } from '../../../shared/dockerfile/safe-text'
import { SlipwayError } from '../../../shared/errors'

// Every way indexing can fail, each with a message a person can act on. The `name` is what the UI
// and the CLI switch on; it survives the trip through the worker and over the wire.

/** The engine has no image by that name or id. */
export function imageNotFound(image: string): SlipwayError {
  return new SlipwayError(
    'ImageNotFound',
    `No image "${image}" in the Docker Engine.`,
    'Check the name with `docker images`, or build the image first.',
  )
}

/** The save stream ended (or broke) before the archive was complete. */
export function streamTruncated(detail: string): SlipwayError {
  return new SlipwayError('ImageStreamTruncated', 'The image stream from Docker was cut off before it was complete.', detail)
}

/** The outer archive is not a tar, or its headers are damaged. */
export function archiveCorrupt(detail: string): SlipwayError {
  return new SlipwayError('ImageArchiveCorrupt', 'The image archive from Docker is damaged and cannot be read.', detail)
}

/** A layer blob is neither a tar nor a gzip-compressed tar. */
export function layerNotTar(layer: string, detail: string): SlipwayError {
  return new SlipwayError('LayerNotTar', `Layer ${layer} is not a tar archive.`, detail)
}

/** A layer is compressed in a way Slipway cannot read (zstd). */
export function layerCompressionUnsupported(layer: string, compression: string): SlipwayError {
  return new SlipwayError(
    'LayerCompressionUnsupported',
    `Layer ${layer} is compressed with ${compression}, which Slipway cannot read yet.`,
    'Rebuild or re-save the image with gzip-compressed or uncompressed layers (the Docker Engine default).',
  )
}

/** The job was cancelled by the person (or the app shutting down). */
export function indexCancelled(image: string): SlipwayError {
  return new SlipwayError('Cancelled', `Indexing of "${image}" was cancelled.`)
}

/** The name is not an image name or id, so it is not sent to the engine (it would become part of an API path). */
export function invalidImageName(image: string, problem: string): SlipwayError {
  return new SlipwayError(
    'BadRequest',
    `Not an image name or id: ${showText(image)} ${problem}.`,
    'Use a name like alpine:3.20 or registry.example.com/team/app:1.2, or an image id from `docker images`.',
  )
}
