import { describe, expect, it } from 'vitest'
import { readDrop, type DropData } from '../../../renderer/src/features/projects/drop-intake'

function drop(items: { name: string; dir: boolean | null; kind?: string }[]): DropData {
  return {
    items: items.map((i) => ({
      kind: i.kind ?? 'file',
      webkitGetAsEntry: () => (i.dir === null ? null : { isDirectory: i.dir, name: i.name }),
      getAsFile: () => ({ name: i.name }),
    })),
  }
}

describe('readDrop', () => {
  it('gives the path of a dropped folder when the desktop bridge can tell it', () => {
    expect(readDrop(drop([{ name: 'svc', dir: true }]), () => '/home/me/svc')).toEqual({ kind: 'path', path: '/home/me/svc', name: 'svc' })
  })

  it('says when a browser cannot tell the path', () => {
    expect(readDrop(drop([{ name: 'svc', dir: true }]))).toEqual({ kind: 'no-path', name: 'svc' })
    expect(readDrop(drop([{ name: 'svc', dir: true }]), () => '')).toEqual({ kind: 'no-path', name: 'svc' })
    expect(
      readDrop(drop([{ name: 'svc', dir: true }]), () => {
        throw new Error('not a real file')
      }),
    ).toEqual({ kind: 'no-path', name: 'svc' })
  })

  it('refuses files, and ignores drops without files', () => {
    expect(readDrop(drop([{ name: 'go.mod', dir: false }]), () => '/home/me/svc/go.mod')).toEqual({ kind: 'not-a-folder', name: 'go.mod' })
    expect(readDrop(drop([{ name: 'text', dir: null, kind: 'string' }]))).toEqual({ kind: 'nothing' })
    expect(readDrop(drop([]))).toEqual({ kind: 'nothing' })
  })

  it('takes the first file when several are dropped', () => {
    expect(readDrop(drop([{ name: 'a', dir: true }, { name: 'b', dir: true }]), (f) => `/x/${(f as { name: string }).name}`)).toEqual({ kind: 'path', path: '/x/a', name: 'a' })
  })
})
