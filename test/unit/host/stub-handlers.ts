import { contract, type Handlers, type Method } from '../../../shared/contract'

/** A full handler table for transport tests: the given handlers, and every other method failing loudly if called. */
export function handlersWith(given: Partial<Handlers>): Handlers {
  const unused = (m: string) => () => {
    throw new Error(`${m} is not used by this test`)
  }
  return Object.fromEntries(Object.keys(contract).map((m) => [m, given[m as Method] ?? unused(m)])) as Handlers
}
