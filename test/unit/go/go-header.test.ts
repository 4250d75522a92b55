import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { quickHeader } from '../../../shared/go/go-header'
import { scanGoHeader } from '../../../shared/go/go-source'

/** The fast path either declines (null) or says exactly what the scanner says. */
const agrees = (file: string, src: string) => {
  const quick = quickHeader(file, src)
  return quick === null || JSON.stringify(quick) === JSON.stringify(scanGoHeader(file, src))
}

describe('quickHeader: the header of a plain Go file without the lexer', () => {
  it('reads typical headers as the scanner does', () => {
    const typical = [
      'package p\n\nimport (\n\t"fmt"\n\tstdhttp "net/http"\n\t_ "embed"\n\t. "strings" // dot\n)\n\nfunc F() {}\n',
      '// Package p does things.\npackage p\n\nimport "os"\nimport "fmt"\n\nvar x = 1\n',
      'package main\r\n\r\nimport (\r\n\t"fmt"\r\n)\r\n\r\nfunc main() {}\r\n',
      'package p\n',
      'package p\n\nimport (\n\t"fmt"\n)\n',
      'package p_test\n\nimport "testing"\n\ntype T struct{}\n',
    ]
    for (const src of typical) {
      const quick = quickHeader('a/b.go', src)
      expect(quick).not.toBeNull()
      expect(quick).toEqual(scanGoHeader('a/b.go', src))
    }
    expect(quickHeader('a/b_windows.go', typical[0] as string)?.scan.buildable).toBe(false)
  })

  it('declines what it does not read: directives, block comments, escapes, raw strings, import "C", junk, non-ASCII', () => {
    for (const src of [
      '//go:build linux\n\npackage p\n',
      '// +build linux\n\npackage p\n',
      '/* c */ package p\n',
      'package p\nimport "a\\x62"\n',
      'package p\nimport `raw`\n',
      'package p\nimport "C"\n',
      'package p; import "os"\n',
      'package p\nimport "os" junk\n',
      'package p\n// é\nimport "os"\n',
      '\uFEFFpackage p\n',
      'package p\nimport (\n\t"os"\n',
      'package p\n@\n',
    ])
      expect(quickHeader('a.go', src), src).toBeNull()
  })

  it('agrees with the scanner on any mix of header pieces (property)', () => {
    const pieces = [
      'package p', 'package main', 'package', ' ', '\t', '\n', '\r\n', ';', '// c\n', '//go:build linux\n', '// +build !windows\n', '/* b */', '/*\n*/',
      'import', ' (', ')', '(', '"fmt"', '"net/http"', '"C"', '"a\\"b"', '`raw`', 'x ', '_ ', '. ', 'alias ', 'func', ' F() {}', 'var x = 1', 'type', '@', 'é',
      '"', '\0', 'import "os"\n', 'import (\n\t"os"\n)\n',
    ]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.constantFrom('a.go', 'x/b_linux.go', 'c_windows.go'), (xs, file) => agrees(file, xs.join(''))),
      { numRuns: 20000 },
    )
    // Well-formed headers in particular (the fast path must take most of them).
    let taken = 0
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('', '_ ', '. ', 'x ', 'long_name '), fc.constantFrom('fmt', 'net/http', 'example.com/m/p', 'C', '')), { maxLength: 8 }),
        fc.boolean(),
        fc.constantFrom('', '// doc\n', '// doc\n// more\n\n'),
        fc.constantFrom('', '\nfunc F() {}\n', '\nvar V = 1\n', '\n// tail\n'),
        (imps, grouped, head, tail) => {
          const body = grouped ? `import (\n${imps.map(([n, p]) => `\t${n}"${p}"\n`).join('')})\n` : imps.map(([n, p]) => `import ${n}"${p}"\n`).join('')
          const src = `${head}package p\n\n${body}${tail}`
          if (quickHeader('a.go', src) !== null) taken++
          return agrees('a.go', src)
        },
      ),
      { numRuns: 5000 },
    )
    expect(taken).toBeGreaterThan(2000) // all but those with import "C"
  })
})
