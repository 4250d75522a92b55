// go.work's `use` lines as the workspace rule reads them: plain folders inside the project are
// kept (normalised), anything else — parent folders, absolute and drive paths, odd characters — is
// "outside"; the workspace is kept only when every use is inside and has a go.mod.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseGoWorkUses, workspaceMode } from '../../../shared/go/go-work'

describe('parseGoWorkUses', () => {
  it('reads single and block uses, quotes, comments and ./ prefixes', () => {
    expect(parseGoWorkUses('go 1.23\n\nuse ./a\nuse "./b/c/"\nuse (\n  . // root\n  ./d\n  `./e`\n  ./a\n)\n')).toEqual({ inside: ['a', 'b/c', '.', 'd', 'e'], outside: [] })
  })

  it('puts parent, absolute, drive and odd paths outside', () => {
    const text = 'use (\n  ../x\n  /abs/mod\n  C:\\\\mods\\\\x\n  ./a/../../b\n  ./a/./b\n  "./sp ace"\n  ./semi;colon\n  ./$(id)\n)\n'
    const { inside, outside } = parseGoWorkUses(text)
    expect(inside).toEqual([])
    expect(outside).toEqual(['../x', '/abs/mod', 'C:\\\\mods\\\\x', './a/../../b', './a/./b', '"./sp', 'ace"', './semi;colon', './$(id'])
  })

  it('never calls a path inside that could leave the folder or carry shell text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }), (entries) => {
        const { inside } = parseGoWorkUses(`use (\n${entries.map((e) => `  ${e}`).join('\n')}\n)\n`)
        for (const d of inside) {
          expect(d === '.' || /^[\w.+-]+(?:\/[\w.+-]+)*$/.test(d)).toBe(true)
          expect(d.split('/')).not.toContain('..')
          expect(d.startsWith('/')).toBe(false)
        }
      }),
    )
  })
})

describe('workspaceMode', () => {
  const has = (dirs: string[]) => (d: string) => dirs.includes(d)
  it('keeps the workspace only when every use is inside and is a module', () => {
    expect(workspaceMode({ inside: ['.', 'lib'], outside: [] }, has(['.', 'lib']))).toBe('workspace')
    expect(workspaceMode({ inside: ['.', 'lib'], outside: ['../tools'] }, has(['.', 'lib']))).toBe('off')
    expect(workspaceMode({ inside: ['.', 'lib'], outside: [] }, has(['.']))).toBe('off')
    expect(workspaceMode({ inside: [], outside: [] }, has([]))).toBe('off')
  })
})
