/** An image in the engine, as the Images page lists it. */
export interface ImageSummary {
  id: string
  repoTags: string[]
  created: number
  sizeBytes: number
  /** Labels Slipway sets on what it builds (org.opencontainers.image.*). */
  labels: Record<string, string>
}
