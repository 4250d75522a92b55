// The stand-in images' names. SLIPWAY_TEST_IMAGE_PREFIX (default slipway-test, as
// test/engine/provision.sh tags them) points the tests at another set — e.g. stand-ins made a new
// way under their own names — without retagging the shared ones while others test.
export const STAND_IN_PREFIX = process.env.SLIPWAY_TEST_IMAGE_PREFIX || 'slipway-test'

/** A stand-in image by its name under the prefix (`golang:1.23` → `slipway-test/golang:1.23`). */
export const standIn = (name: string): string => `${STAND_IN_PREFIX}/${name}`
