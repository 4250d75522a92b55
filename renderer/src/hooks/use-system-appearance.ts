import { useSyncExternalStore } from 'react'

const query = '(prefers-color-scheme: dark)'

function subscribe(cb: () => void): () => void {
  const mql = window.matchMedia(query)
  mql.addEventListener('change', cb)
  return () => mql.removeEventListener('change', cb)
}

const snapshot = (): 'light' | 'dark' => (window.matchMedia(query).matches ? 'dark' : 'light')

/** The OS colour scheme, updated live when the person switches it. */
export function useSystemAppearance(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, snapshot, () => 'light')
}
