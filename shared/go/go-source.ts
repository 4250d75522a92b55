/**
 * Reads one Go source file and reports what matters for a container image: package, imports,
 * build constraints, `import "C"`, `//go:embed`, `version`/`commit` variables, listen addresses,
 * environment and flag reads, files opened at run time, outbound TLS and tz data use.
 *
 * It is a scanner, not a compiler: it pattern-matches a token stream with bracket matching and a
 * small expression evaluator (literals, `+`, `fmt.Sprintf`, `net.JoinHostPort`, env and flag
 * reads, references to other variables). Every lookahead is bounded, so any input — binary junk
 * included — is scanned in linear time and never throws.
 */
import type { Evidence, StampVar } from '../types/project'
import { evalGoBuild, evalPlusBuild, fileNameMatches } from './build-constraints'
import { configLibOf } from './config-libs'
import { CGO_INDEX, defaultImportName, FLAG_PACKAGES, FRAMEWORKS, inList, isConstString, isStdlib, NETWORK_IMPORTS, TEMPLATE_PACKAGES, TLS_INDEX } from './imports'
import type { GoDef, GoFileScan, GoValue, GoVarType, ScanOptions } from './scan-types'
import { addVarType, configCall, localVar, markRequired, parseAs, typeDecl, urfaveFlag, valueType, viperOp, type Range as CursorRange } from './scan-config'
import { EOF_TOKEN, GoLexer, isKeyword, type Token } from './lexer'
import { fileUse, templateUse } from './scan-files'
import { flagCall, flagRef, flagValue } from './scan-flags'
import { argsCheck, emptyChecks } from './scan-required'
import { addressLiteral, frameworkRun, listenCall, serverLiteral } from './scan-listen'
import { applyEnvFallbacks, assignedValue, cmpOr, emptyIf, envCall, envNameAt, envRead, envValue, newEnvState, type EnvCursor, type EnvState } from './scan-env'

/** urfave/cli's Context/Command getters that read a flag by name. */
const URFAVE_GETTERS = new Set(['String', 'Int', 'Int64', 'Uint', 'Uint64', 'Float64', 'Bool', 'Duration', 'Path', 'Value', 'Generic', 'StringSlice', 'Timestamp'])
const TLS_URL = /^(?:https|wss):\/\/[^\s"'<>]+$/

/** The scanner's bounds: no single lookahead may cost more than this many tokens. */
const MAX_STMT = 4000
const MAX_BLOCK = 200
const MAX_DEPTH = 12
const MAX_TEXT = 200

/** Package functions pkgCall looks at (besides flag and template functions). */
const KNOWN_CALLS = new Set([
  'os.Getenv', 'os.LookupEnv', 'syscall.Getenv', 'net/http.ListenAndServe', 'net/http.ListenAndServeTLS', 'net.Listen', 'crypto/tls.Listen',
  'net/http.Get', 'net/http.Head', 'net/http.Post', 'net/http.PostForm', 'net/http.NewRequest', 'net/http.NewRequestWithContext',
  'crypto/tls.Dial', 'crypto/tls.DialWithDialer', 'crypto/tls.Client', 'crypto/x509.SystemCertPool', 'net/smtp.SendMail',
  'time.LoadLocation', 'time.LoadLocationFromTZData', 'os.Open', 'os.ReadFile', 'io/ioutil.ReadFile', 'os.OpenFile', 'os.ReadDir',
  'io/ioutil.ReadDir', 'os.DirFS', 'net/http.Dir', 'github.com/joho/godotenv.Load', 'github.com/joho/godotenv.Overload',
  'github.com/spf13/viper.SetConfigFile',
])
const DECL_KEYWORDS = new Set(['var', 'const', 'import', 'package', 'type', 'return', 'if', 'for', 'switch', 'go', 'defer'])
const NONE: readonly never[] = Object.freeze([])
const UNKNOWN: GoValue = Object.freeze({ k: 'unknown' }) as GoValue

/** Scans one Go file; `file` is its path relative to the project root (forward slashes). Never throws. */
export function scanGoFile(file: string, text: string, opts: ScanOptions = {}): GoFileScan {
  return new Scanner(file, text).run(opts.headerOnly === true ? 'header' : opts.declsOnly === true ? 'decls' : 'full')
}

/**
 * The header scan (scanGoFile with headerOnly) and the line of the token it stopped at (0: the end
 * of the text), so a caller that scanned only the start of a file can tell whether the imports
 * ended well inside it.
 */
export function scanGoHeader(file: string, text: string): { scan: GoFileScan; endLine: number } {
  const s = new Scanner(file, text)
  const scan = s.run('header')
  return { scan, endLine: s.headerEndLine }
}

/** A header scan with nothing found yet; its lists are shared, frozen and empty (one per file of a project is kept). */
export function emptyScan(file: string, binary: boolean): GoFileScan {
  const none = NONE as never[]
  return {
    file, packageName: null, packageLine: null, buildable: true, constraint: null, imports: [], scope: 'header', headerComplete: false,
    cgo: null, cgoDeps: none, hasMain: false, embeds: none, stamps: {}, defs: none, envReads: none, envHelpers: none, calls: none, flags: none,
    listens: none, fileUses: none, tls: none, tz: none, requiredArgs: none, requiredChecks: none, requiredFlags: none, structs: none, varTypes: none,
    configBinds: none, viper: none, addressLiterals: none, binary, illegal: 0,
  }
}


type Range = CursorRange

/** One file's scan. Members without `private` form the Cursor the other scan modules use (scan-config.ts). */
class Scanner implements EnvCursor {
  private readonly lexer: GoLexer
  private readonly toks: Token[] = []
  private lexEnded = false
  private lineStarts: number[] | null = null
  private readonly lineTexts = new Map<number, string>()
  readonly r: GoFileScan
  private headerOnly = false
  // Body-scan state, created by initBody() only for full scans (header scans run for every file).
  private match!: Int32Array
  private stmtEnds!: Int32Array
  importNames!: Map<string, string>
  private flagSets!: Set<string>
  private tlsUses!: Set<string>
  private urls!: Evidence[]
  /** The env rules' state (scan-env.ts). */
  env!: EnvState
  /** `{` indexes that open the block of an `if`, and for each open brace whether it is one. */
  private ifBlocks!: Set<number>
  private braceIsIf!: boolean[]
  private viperVars!: Set<string>
  varTypeAt!: Map<string, GoVarType>
  private usesUrfave = false
  private usesCobra = false
  private defsByName!: Map<string, GoDef[]>
  private hasFramework = false
  private servesTls = false
  /** Brace depth of the token the body loop is at (0: package level). */
  depth = 0
  /** The line of the token the header ended at (0: the end of the text). */
  headerEndLine = 0

  constructor(
    private readonly file: string,
    private readonly src: string,
  ) {
    this.lexer = new GoLexer(src)
    this.r = emptyScan(file, src.includes('\0'))
  }

  private initBody() {
    const r = this.r
    r.cgoDeps = []
    r.embeds = []
    r.defs = []
    r.envReads = []
    r.envHelpers = []
    r.calls = []
    r.flags = []
    r.listens = []
    r.fileUses = []
    r.tls = []
    r.tz = []
    r.requiredArgs = []
    r.requiredChecks = []
    r.requiredFlags = []
    r.structs = []
    r.varTypes = []
    r.configBinds = []
    r.viper = []
    r.addressLiterals = []
    this.importNames = new Map()
    this.flagSets = new Set()
    this.tlsUses = new Set()
    this.urls = []
    this.env = newEnvState()
    this.ifBlocks = new Set()
    this.braceIsIf = []
    this.viperVars = new Set()
    this.varTypeAt = new Map()
    this.defsByName = new Map()
  }

  run(scope: GoFileScan['scope']): GoFileScan {
    this.headerOnly = scope === 'header'
    if (scope !== 'header') this.initBody()
    const end = this.header()
    const endTok = this.at(end)
    this.headerEndLine = endTok.kind === 'eof' ? 0 : endTok.line
    this.constraints()
    if (scope === 'full') {
      if (!this.lexEnded) {
        for (let t = this.lexer.next(); t.kind !== 'eof'; t = this.lexer.next()) this.toks.push(t)
        this.lexEnded = true
      }
      this.match = matchBrackets(this.toks)
      this.stmtEnds = this.statementEnds()
      this.hasFramework = this.r.imports.some((imp) => imp.path in FRAMEWORKS)
      this.usesUrfave = this.r.imports.some((imp) => configLibOf(imp.path) === 'urfave/cli')
      this.usesCobra = this.r.imports.some((imp) => configLibOf(imp.path) === 'cobra')
      this.body(end)
      this.finish()
    } else if (scope === 'decls') {
      this.lexDecls()
      this.match = matchBrackets(this.toks)
      this.stmtEnds = this.statementEnds()
      let depth = 0
      for (let i = end; i < this.toks.length; i++) {
        const t = this.t(i)
        if (t.kind === 'op' && t.value === '{') depth++
        else if (t.kind === 'op' && t.value === '}') depth = Math.max(0, depth - 1)
        else if (depth === 0 && t.kind === 'ident' && (t.value === 'var' || t.value === 'const')) this.topDecl(i)
        else if (depth === 0 && t.kind === 'ident' && t.value === 'type') typeDecl(this, i)
        else if (depth === 0 && t.kind === 'ident' && t.value === 'func') this.returnDecl(i)
      }
    }
    this.r.scope = scope
    this.r.illegal = this.lexer.illegal
    return this.r
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** Lexes the rest of the file, skipping the bodies of top-level functions at character level. */
  private lexDecls() {
    if (this.lexEnded) return
    let depth = 0
    let inFunc = false
    let funcAt = -1
    let parens = 0
    for (let t = this.lexer.next(); t.kind !== 'eof'; t = this.lexer.next()) {
      if (t.kind === 'op') {
        const v = t.value
        if (v === '(' || v === '[') parens++
        else if (v === ')' || v === ']') parens = Math.max(0, parens - 1)
        else if (v === '{') {
          if (inFunc && depth === 0 && parens === 0 && !this.niladic(funcAt)) {
            // The body of a top-level func: skip it, keep a `{}` so the tokens still pair up
            // (a `func Name()` keeps its body: its result may be a value another package refers to).
            this.toks.push(t)
            this.lexer.skipBlock()
            this.toks.push({ kind: 'op', value: '}', line: t.line })
            inFunc = false
            continue
          }
          depth++
        } else if (v === '}') depth = Math.max(0, depth - 1)
      } else if (t.kind === 'ident' && t.value === 'func' && depth === 0 && parens === 0) {
        inFunc = true
        funcAt = this.toks.length
      }
      else if (t.kind === 'semi' && depth === 0 && parens === 0) inFunc = false
      this.toks.push(t)
    }
    this.lexEnded = true
  }

  /** Whether the `func` at token i declares `Name()`: no receiver, no parameters. */
  private niladic(i: number): boolean {
    return this.id(i + 1) && this.op(i + 2, '(') && this.op(i + 3, ')') && this.t(i + 1).value !== 'init' && this.t(i + 1).value !== 'main'
  }

  /** Token i, lexing lazily (the header scan may stop long before the end). */
  private at(i: number): Token {
    while (this.toks.length <= i && !this.lexEnded) {
      const t = this.lexer.next()
      if (t.kind === 'eof') this.lexEnded = true
      else this.toks.push(t)
    }
    return this.toks[i] ?? EOF_TOKEN
  }

  /** Tokens lexed so far (the whole file once the body is scanned). */
  get tokenCount(): number {
    return this.toks.length
  }

  t(i: number): Token {
    return this.toks[i] ?? EOF_TOKEN
  }

  op(i: number, v: string): boolean {
    const t = this.toks[i]
    return t !== undefined && t.kind === 'op' && t.value === v
  }

  id(i: number, v?: string): boolean {
    const t = this.toks[i]
    return t !== undefined && t.kind === 'ident' && (v === undefined || t.value === v)
  }

  /** Index of the bracket closing the one at i (or the end when unmatched); i itself when it is not an opener. */
  close(i: number): number {
    const m = this.match[i]
    return m === undefined || m < 0 ? i : m
  }

  ev(line: number): Evidence {
    return { file: this.file, line, text: this.lineText(line) }
  }

  private lineText(line: number): string {
    // The same line is asked for again by every finding on it: a long one-line file must not cost its length each time.
    const known = this.lineTexts.get(line)
    if (known !== undefined) return known
    const text = this.cutLine(line)
    if (this.lineTexts.size < 100_000) this.lineTexts.set(line, text)
    return text
  }

  private cutLine(line: number): string {
    // Line starts are found only as far as asked (header scans only need the first few lines).
    const starts = (this.lineStarts ??= [0])
    while (starts.length <= line) {
      const last = starts[starts.length - 1] ?? 0
      const nl = last > this.src.length ? -1 : this.src.indexOf('\n', last)
      starts.push(nl < 0 ? this.src.length + 1 : nl + 1)
    }
    const start = starts[line - 1]
    const end = starts[line]
    if (start === undefined || end === undefined || start > this.src.length) return ''
    const text = this.src.slice(start, end - 1).trim()
    return own(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text)
  }

  // ---- header: package clause, imports, build constraints -----------------------------------

  private header(): number {
    let i = this.skipSemis(0)
    if (this.at(i).kind === 'ident' && this.at(i).value === 'package' && this.at(i + 1).kind === 'ident') {
      this.r.packageName = own(this.at(i + 1).value)
      this.r.packageLine = this.at(i).line
      i += 2
    } else {
      this.r.headerComplete = this.at(i).kind !== 'eof'
      return i
    }
    for (;;) {
      i = this.skipSemis(i)
      const t = this.at(i)
      if (t.kind !== 'ident' || t.value !== 'import') break
      const open = this.at(i + 1)
      if (open.kind === 'op' && open.value === '(') {
        i += 2
        for (;;) {
          i = this.skipSemis(i)
          const s = this.at(i)
          if (s.kind === 'eof') break
          if (s.kind === 'op' && s.value === ')') {
            i++
            break
          }
          i = this.importSpec(i)
        }
      } else {
        i = this.importSpec(i + 1)
      }
    }
    this.r.headerComplete = this.at(i).kind !== 'eof'
    return i
  }

  private skipSemis(i: number): number {
    while (this.at(i).kind === 'semi') i++
    return i
  }

  private importSpec(i: number): number {
    let name: string | null = null
    const first = this.at(i)
    if (first.kind === 'ident' || (first.kind === 'op' && first.value === '.')) {
      name = first.value
      i++
    }
    const lit = this.at(i)
    if (lit.kind === 'string') {
      this.addImport(own(lit.value), name === null ? null : own(name), lit.line)
      i++
    }
    // Skip whatever else is on the spec (junk) up to the end of it.
    while (this.at(i).kind !== 'semi' && this.at(i).kind !== 'eof' && !(this.at(i).kind === 'op' && this.at(i).value === ')')) i++
    return i
  }

  private addImport(path: string, name: string | null, line: number) {
    // A header scan serves the package graph; the line's text is only worth cutting out for a full scan (or import "C").
    const evidence = this.headerOnly && path !== 'C' ? { file: this.file, line } : this.ev(line)
    this.r.imports.push({ path, name, evidence })
    if (path === 'C') this.r.cgo ??= evidence
    // Import names and hints only matter to a full scan (a header scan serves the package graph).
    if (this.headerOnly) return
    if (name !== '_' && name !== '.') this.importNames.set(name ?? defaultImportName(path), path)
    if (path === 'net/smtp') this.r.tls.push({ reason: `imports ${path}`, evidence })
    if (isStdlib(path)) return
    if (inList(path, CGO_INDEX)) this.r.cgoDeps.push({ reason: `imports ${path} (needs cgo)`, evidence })
    if (inList(path, TLS_INDEX)) this.r.tls.push({ reason: `imports ${path}`, evidence })
  }

  private constraints() {
    const pkgLine = this.r.packageLine ?? Number.POSITIVE_INFINITY
    const before = this.lexer.directives.filter((d) => d.line < pkgLine)
    const goBuild = before.find((d) => /^\/\/go:build(\s|$)/.test(d.text))
    const plus = before.filter((d) => d.text.startsWith('// +build'))
    let holds = fileNameMatches(this.file.slice(this.file.lastIndexOf('/') + 1))
    if (goBuild) {
      this.r.constraint = this.ev(goBuild.line)
      const res = evalGoBuild(goBuild.text.slice('//go:build'.length))
      holds = holds && (res.ok ? res.holds : true)
    } else if (plus.length > 0) {
      this.r.constraint = this.ev(plus[0]?.line ?? 1)
      holds = holds && evalPlusBuild(plus.map((d) => d.text.slice('// +build'.length)))
    }
    this.r.buildable = holds
  }

  // ---- body ---------------------------------------------------------------------------------

  private body(from: number) {
    const T = this.toks
    for (let i = from; i < T.length; i++) {
      const t = T[i] ?? EOF_TOKEN
      const depth = this.depth
      if (t.kind === 'op') {
        const v = t.value
        if (v === '{') {
          this.depth++
          this.braceIsIf.push(this.ifBlocks.has(i))
        } else if (v === '}') {
          this.depth = Math.max(0, depth - 1)
          this.braceIsIf.pop()
        } else if ((v === '=' || v === ':=') && depth > 0) this.assignment(i)
        else if (v === '.') this.method(i)
        continue
      }
      if (t.kind === 'string') {
        this.literal(t)
        continue
      }
      if (t.kind !== 'ident') continue
      const w = t.value
      if (depth === 0 && (w === 'var' || w === 'const')) this.topDecl(i)
      else if (depth === 0 && w === 'type') typeDecl(this, i)
      else if (depth > 0 && w === 'var') localVar(this, i)
      else if (depth === 0 && w === 'func') this.funcDecl(i)
      else if (w === 'if') this.ifStmt(i)
      else if (this.op(i + 1, '.') && this.id(i + 2) && !this.op(i - 1, '.') && this.importNames.has(w)) this.qualified(i)
      else if (this.op(i + 1, '(') && !this.op(i - 1, '.') && !this.id(i - 1, 'func') && !isKeyword(w)) this.plainCall(i)
    }
    for (const d of this.lexer.directives) {
      if (!d.text.startsWith('//go:embed')) continue
      const patterns = splitEmbedPatterns(d.text.slice('//go:embed'.length))
      if (patterns.length > 0) this.r.embeds.push({ patterns, evidence: this.ev(d.line) })
    }
  }

  private finish() {
    applyEnvFallbacks(this)
    if (this.r.imports.some((i) => NETWORK_IMPORTS.has(i.path))) for (const e of this.urls) this.r.tls.push({ reason: 'an https:// URL', evidence: e })
    const tlsImport = this.r.imports.find((i) => i.path === 'crypto/tls')
    if (tlsImport) {
      // Client calls are already evidence; a file that only serves TLS needs no CA bundle; anything else is a hint.
      const client = ['Dial', 'DialWithDialer', 'Client', 'Dialer'].some((f) => this.tlsUses.has(f))
      const serves = this.servesTls || this.r.listens.length > 0 || this.tlsUses.has('Listen') || this.tlsUses.has('NewListener')
      if (!client && !serves) this.r.tls.push({ reason: 'imports crypto/tls', evidence: tlsImport.evidence })
    }
    this.r.tls.sort((a, b) => a.evidence.line - b.evidence.line)
  }

  addDef(def: GoDef) {
    this.r.defs.push(def)
    const list = this.defsByName.get(def.name)
    if (list) list.push(def)
    else this.defsByName.set(def.name, [def])
  }

  /** The last definition of `name` on or before line `before` (defs arrive in source order: binary search). */
  latestDef(name: string, before: number): GoDef | undefined {
    const list = this.defsByName.get(name)
    if (!list) return undefined
    let lo = 0
    let hi = list.length - 1
    let best: GoDef | undefined
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const d = list[mid]
      if (d && d.line <= before) {
        best = d
        lo = mid + 1
      } else hi = mid - 1
    }
    return best
  }

  /** `var`/`const` at package level: defs for every name, and the -X verdict for version/commit. */
  private topDecl(i: number) {
    const isConst = this.t(i).value === 'const'
    const specs: Range[] = this.op(i + 1, '(') ? this.splitSemis(i + 2, this.close(i + 1)) : [[i + 1, this.stmtEnd(i + 1)]]
    for (const [a, b] of specs) {
      if (!this.id(a) || isKeyword(this.t(a).value)) continue
      const names: Token[] = [this.t(a)]
      let k = a + 1
      while (this.op(k, ',') && this.id(k + 1) && k + 1 < b) {
        names.push(this.t(k + 1))
        k += 2
      }
      let eq = -1
      for (let j = k; j < b; j++) {
        if (this.isOpener(j)) j = this.close(j)
        else if (this.op(j, '=')) {
          eq = j
          break
        } else if (this.t(j).kind === 'ident' && DECL_KEYWORDS.has(this.t(j).value)) break
      }
      const typeRange: Range = [k, eq < 0 ? b : eq]
      const values = eq < 0 ? [] : this.splitCommas(eq + 1, b)
      if (!isConst && eq < 0) for (const nameTok of names) addVarType(this, nameTok.value, typeRange[0], typeRange[1], nameTok.line, true)
      names.forEach((nameTok, idx) => {
        const range = values.length === names.length ? values[idx] : undefined
        const value = range ? this.eval(range[0], range[1], 0) : UNKNOWN
        this.addDef({ name: nameTok.value, value, line: nameTok.line, topLevel: true })
        const name = nameTok.value
        if ((name === 'version' || name === 'commit') && this.r.stamps[name] === undefined)
          this.r.stamps[name] = this.stampVerdict(name, isConst, this.text(typeRange), range ? value : null, values.length > 0, this.ev(nameTok.line))
      })
    }
  }

  private stampVerdict(name: string, isConst: boolean, type: string, value: GoValue | null, hasValue: boolean, evidence: Evidence): StampVar {
    const x = `-X main.${name}=…`
    const bad = (reason: string): StampVar => ({ kind: 'unsuitable', reason, evidence })
    if (isConst) return bad(`main.${name} is a constant: ${x} can only set a string variable (it would be ignored).`)
    if (type !== '' && type !== 'string') return bad(`main.${name} has type ${type}, not string: ${x} would fail the link or be ignored.`)
    if (!hasValue) return { kind: 'string', evidence }
    if (value === null) return bad(`main.${name} is set from a multi-value expression: ${x} has no effect.`)
    if (isConstString(value)) return { kind: 'string', evidence }
    if (value.k === 'flag') return bad(`main.${name} is a flag (a pointer, not a string): ${x} would fail the link.`)
    if (value.k === 'call') return bad(`main.${name} is set by calling ${value.name}(…): ${x} only works when the initializer is a constant string.`)
    if (value.k === 'env') return bad(`main.${name} is read from $${value.name} at start: ${x} only works when the initializer is a constant string.`)
    if (value.k === 'num') return bad(`main.${name} is a number, not a string: ${x} would fail the link.`)
    if (value.k === 'ref') return bad(`main.${name} is initialized from ${value.name}: ${x} only works when the initializer is a constant string.`)
    return bad(`main.${name} is not a plain string variable: ${x} may fail or be ignored.`)
  }

  private funcDecl(i: number) {
    let k = i + 1
    const hasRecv = this.op(k, '(')
    if (hasRecv) k = this.close(k) + 1
    if (!this.id(k)) return
    const nameTok = this.t(k)
    k++
    if (this.op(k, '[')) k = this.close(k) + 1
    if (!this.op(k, '(')) return
    const pOpen = k
    const pClose = this.close(k)
    if (nameTok.value === 'main' && !hasRecv && pClose === pOpen + 1 && this.r.packageName === 'main') this.r.hasMain = true
    if (!hasRecv && pClose === pOpen + 1) this.returnDecl(i)
    if (hasRecv || pClose === pOpen + 1) return
    const params = this.splitCommas(pOpen + 1, pClose).map(([a]) => (this.id(a) ? this.t(a).value : ''))
    let bOpen = -1
    for (let j = pClose + 1; j < Math.min(this.toks.length, pClose + 40); j++) {
      if (this.op(j, '{')) {
        bOpen = j
        break
      }
      if (this.t(j).kind === 'semi') return
      if (this.isOpener(j)) j = this.close(j)
    }
    if (bOpen < 0) return
    const bClose = Math.min(this.close(bOpen), bOpen + MAX_STMT)
    for (let j = bOpen + 1; j < bClose; j++) {
      if (!(this.id(j) && this.op(j + 1, '.') && this.id(j + 2) && this.op(j + 3, '(') && this.id(j + 4) && this.op(j + 5, ')'))) continue
      const pkg = this.importNames.get(this.t(j).value)
      const fn = this.t(j + 2).value
      if ((pkg !== 'os' && pkg !== 'syscall') || (fn !== 'Getenv' && fn !== 'LookupEnv')) continue
      const keyIndex = params.indexOf(this.t(j + 4).value)
      if (keyIndex < 0) continue
      const other = params.findIndex((p, idx) => idx !== keyIndex && p !== '')
      this.r.envHelpers.push({ name: nameTok.value, keyIndex, fallbackIndex: other < 0 ? null : other, evidence: this.ev(nameTok.line) })
      return
    }
  }

  /**
   * `func Name() T { return expr }` (no receiver, no parameters, one statement): a def `Name()` for
   * its result, so `addr := config.Addr()` resolves as the function's constant result does.
   */
  private returnDecl(i: number) {
    if (!this.id(i + 1) || !this.op(i + 2, '(') || !this.op(i + 3, ')')) return
    const nameTok = this.t(i + 1)
    let open = -1
    for (let j = i + 4; j < Math.min(this.toks.length, i + 40); j++) {
      if (this.op(j, '{')) {
        open = j
        break
      }
      if (this.t(j).kind === 'semi') return
      if (this.isOpener(j)) j = this.close(j)
    }
    if (open < 0 || !this.id(open + 1, 'return')) return
    const end = this.stmtEnd(open + 2)
    const close = this.close(open)
    // The return is the body's only statement: what follows it is the closing brace (after an optional `;`).
    if (close !== (this.t(end).kind === 'semi' ? end + 1 : end) || end <= open + 2) return
    this.addDef({ name: `${nameTok.value}()`, value: this.eval(open + 2, end, 0), line: nameTok.line, topLevel: true })
  }

  /** `x := …`, `x = …`, `a, b := …`, `var x = …` inside a function. */
  private assignment(j: number) {
    if (this.env.fallbackAssigns.has(j)) return
    let k = j - 1
    while (k >= 0 && j - k <= 24) {
      const t = this.t(k)
      if ((t.kind === 'ident' && !isKeyword(t.value)) || (t.kind === 'op' && (t.value === '.' || t.value === ',' || t.value === '*'))) k--
      else break
    }
    const stop = this.toks[k]
    const isVar = stop?.kind === 'ident' && (stop.value === 'var' || stop.value === 'const')
    const boundary =
      stop === undefined ||
      stop.kind === 'semi' ||
      (stop.kind === 'op' && (stop.value === '{' || stop.value === '}' || stop.value === '(')) ||
      (stop.kind === 'ident' && ['var', 'const', 'if', 'for', 'switch', 'else'].includes(stop.value))
    if (!boundary || k + 1 >= j) return
    const names: string[] = []
    for (const [a, b] of this.splitCommas(k + 1, j)) {
      let s = a
      while (this.op(s, '*')) s++
      const parts: string[] = []
      let q = s
      for (; q < b; q += 2) {
        if (!this.id(q)) return
        parts.push(this.t(q).value)
        if (!this.op(q + 1, '.')) break
      }
      if (parts.length === 0) return
      if (q + 1 < b && !isVar) return
      names.push(parts.join('.'))
    }
    if (names.length === 0) return
    const end = this.stmtEnd(j + 1)
    const values = this.splitCommas(j + 1, end)
    const line = this.t(j).line
    const inIf = this.braceIsIf[this.braceIsIf.length - 1] === true
    const define = (name: string, value: GoValue) => this.addDef({ name, value: assignedValue(this, name, value, line, inIf), line, topLevel: false })
    if (values.length === names.length) {
      names.forEach((name, idx) => {
        const range = values[idx]
        const value = range ? this.eval(range[0], range[1], 0) : UNKNOWN
        define(name, value)
        if (range) valueType(this, name, range, line)
        if (value.k === 'call' && value.pkg !== null && FLAG_PACKAGES.has(value.pkg) && value.name === 'NewFlagSet') this.flagSets.add(name)
        if (value.k === 'call' && value.pkg === null && /(?:^|\.)(?:Flags|PersistentFlags|LocalFlags)$/.test(value.name) && this.usesCobra) this.flagSets.add(name)
        if (value.k === 'call' && value.pkg === 'github.com/spf13/viper' && value.name === 'New') this.viperVars.add(name)
      })
    } else if (values.length === 1 && names.length === 2 && values[0]) {
      const [a, b] = values[0]
      const value = this.eval(a, b, 0)
      // `v, ok := os.LookupEnv("X")`, `port, err := strconv.Atoi(s)`: the first name holds the (converted) value.
      const pkg = this.importNames.get(this.t(a).value) ?? ''
      define(names[0] ?? '', value.k === 'env' || (pkg === 'strconv' && value.k !== 'call') ? value : UNKNOWN)
      if (configLibOf(pkg) === 'caarlos0/env' && this.op(a + 1, '.') && this.t(a + 2).value.startsWith('ParseAs')) parseAs(this, a, b, names[0] ?? '', line)
    }
  }

  private ifStmt(i: number) {
    const open = this.ifBlockOpen(i)
    if (open >= 0) {
      this.ifBlocks.add(open)
      emptyChecks(this, i, open)
    }
    // if NAME == "" { NAME = "fallback" }, if *NAME == "" { log.Fatal(…) }, if !ok { v = "fallback" }
    if (emptyIf(this, i)) return
    argsCheck(this, i)
  }

  /** The `{` of an if's block: the first one outside brackets after `if` (composite literals in a condition must be parenthesized). */
  private ifBlockOpen(i: number): number {
    const limit = Math.min(this.toks.length, i + MAX_BLOCK)
    for (let j = i + 1; j < limit; j++) {
      if (this.op(j, '{')) return j
      if (this.isOpener(j)) j = this.close(j)
    }
    return -1
  }



  private literal(t: Token) {
    if (t.value.length > 300) return
    if (addressLiteral(this, t)) return
    if (TLS_URL.test(t.value)) this.urls.push(this.ev(t.line))
  }

  /** `pkg.Name…` where pkg is an imported package. */
  private qualified(i: number) {
    const path = this.importNames.get(this.t(i).value) ?? ''
    const name = this.t(i + 2).value
    if (path === 'crypto/tls') this.tlsUses.add(name)
    if (this.op(i + 3, '(')) this.pkgCall(path, name, i, i + 3)
    else this.pkgSelector(path, name, i)
  }

  private pkgSelector(path: string, name: string, i: number) {
    const line = this.t(i).line
    if (this.op(i + 3, '{') && configLibOf(path) === 'urfave/cli' && /^[A-Z]\w*Flag$/.test(name)) urfaveFlag(this, name.slice(0, -4).toLowerCase(), i + 3, line)
    else if (path === 'time' && name === 'Local') this.r.tz.push({ kind: 'local', evidence: this.ev(line) })
    else if (path === 'net/http' && name === 'Server' && this.op(i + 3, '{')) serverLiteral(this, i + 3)
    else if (path === 'net/http' && (name === 'Client' || name === 'DefaultClient' || name === 'DefaultTransport'))
      this.r.tls.push({ reason: `uses http.${name}`, evidence: this.ev(line) })
  }

  private pkgCall(path: string, name: string, i: number, open: number) {
    const line = this.t(i).line
    const key = `${path}.${name}`
    const lib = configLibOf(path)
    if (lib !== null) {
      configCall(this, lib, name, i, open)
      return
    }
    if (!KNOWN_CALLS.has(key) && !FLAG_PACKAGES.has(path) && !(TEMPLATE_PACKAGES.has(path) && (name === 'ParseFiles' || name === 'ParseGlob'))) {
      if (envNameAt(this, open + 1)) envCall(this, path, name, this.args(open), line)
      return
    }
    const args = this.args(open)
    const arg = (n: number): GoValue => this.argValue(args, n)
    switch (key) {
      case 'os.Getenv':
      case 'os.LookupEnv':
      case 'syscall.Getenv':
        envRead(this, args, line)
        return
      case 'net/http.ListenAndServe':
      case 'net/http.ListenAndServeTLS':
      case 'net.Listen':
      case 'crypto/tls.Listen':
        listenCall(this, path, name, args, line)
        return
      case 'net/http.Get':
      case 'net/http.Head':
      case 'net/http.Post':
      case 'net/http.PostForm':
      case 'net/http.NewRequest':
      case 'net/http.NewRequestWithContext': {
        const urlArg = arg(name === 'NewRequest' ? 1 : name === 'NewRequestWithContext' ? 2 : 0)
        if (!(urlArg.k === 'str' && urlArg.v.startsWith('http://'))) this.r.tls.push({ reason: `calls http.${name}`, evidence: this.ev(line) })
        return
      }
      case 'crypto/tls.Dial':
      case 'crypto/tls.DialWithDialer':
      case 'crypto/tls.Client':
      case 'crypto/x509.SystemCertPool':
      case 'net/smtp.SendMail':
        this.r.tls.push({ reason: `calls ${path.slice(path.lastIndexOf('/') + 1)}.${name}`, evidence: this.ev(line) })
        return
      case 'time.LoadLocation': {
        const zone = arg(0)
        if (!(zone.k === 'str' && (zone.v === '' || zone.v === 'UTC' || zone.v === 'Local'))) this.r.tz.push({ kind: 'load', evidence: this.ev(line) })
        return
      }
      case 'time.LoadLocationFromTZData':
        this.r.tz.push({ kind: 'data', evidence: this.ev(line) })
        return
      case 'os.Open':
      case 'os.ReadFile':
      case 'io/ioutil.ReadFile':
        fileUse(this, arg(0), 'file', `${path === 'os' ? 'os' : 'ioutil'}.${name}`, i, open)
        return
      case 'os.OpenFile': {
        const flags = args[1] ? this.text(args[1]) : ''
        if (!/O_CREATE|O_WRONLY|O_APPEND|O_TRUNC/.test(flags)) fileUse(this, arg(0), 'file', 'os.OpenFile', i, open)
        return
      }
      case 'os.ReadDir':
      case 'io/ioutil.ReadDir':
      case 'os.DirFS':
      case 'net/http.Dir':
        fileUse(this, arg(0), 'dir', `${path.slice(path.lastIndexOf('/') + 1)}.${name}`, i, open)
        return
      case 'github.com/joho/godotenv.Load':
      case 'github.com/joho/godotenv.Overload':
        if (args.length === 0) fileUse(this, { k: 'str', v: '.env' }, 'file', `godotenv.${name}`, i, open)
        args.forEach((_, n) => fileUse(this, arg(n), 'file', `godotenv.${name}`, i, open))
        return
      case 'github.com/spf13/viper.SetConfigFile':
        fileUse(this, arg(0), 'file', 'viper.SetConfigFile', i, open)
        return
    }
    if (TEMPLATE_PACKAGES.has(path) && (name === 'ParseFiles' || name === 'ParseGlob')) {
      templateUse(this, name, args, i, open)
      return
    }
    if (FLAG_PACKAGES.has(path)) {
      flagCall(this, name, args, line)
      return
    }
    envCall(this, path, name, args, line)
  }

  /** A method call `x.Name(…)` on something that is not a package. */
  private method(i: number) {
    if (!this.id(i + 1) || !this.op(i + 2, '(')) return
    const recv = this.t(i - 1)
    if (recv.kind === 'ident' && this.importNames.has(recv.value)) return
    const name = this.t(i + 1).value
    const open = i + 2
    if (name === 'ListenAndServeTLS' || name === 'ServeTLS') this.servesTls = true
    if (recv.kind === 'ident' && this.flagSets.has(recv.value)) {
      flagCall(this, name, this.args(open), this.t(i).line)
      return
    }
    if (recv.kind === 'ident' && this.viperVars.has(recv.value)) {
      viperOp(this, name, this.args(open), this.t(i).line)
      return
    }
    if (this.usesCobra) {
      // cmd.Flags().StringVarP(&addr, "addr", "a", ":8080", "") and cmd.MarkFlagRequired("token").
      if (this.op(i - 1, ')') && this.op(i - 2, '(') && this.id(i - 3) && /^(?:Flags|PersistentFlags|LocalFlags)$/.test(this.t(i - 3).value) && this.op(i - 4, '.')) {
        flagCall(this, name, this.args(open), this.t(i).line)
        return
      }
      if (name === 'MarkFlagRequired' || name === 'MarkPersistentFlagRequired') {
        markRequired(this, this.args(open)[0], this.t(i).line)
        return
      }
    }
    if ((name === 'ParseFiles' || name === 'ParseGlob') && this.r.imports.some((imp) => TEMPLATE_PACKAGES.has(imp.path))) {
      templateUse(this, name, this.args(open), i, open)
      return
    }
    if (recv.kind === 'ident' && this.hasFramework) frameworkRun(this, recv, this.latestDef(recv.value, recv.line), name, open)
  }







  /** `envOr("PORT", "8080")` and friends: resolved against env helpers in needs.ts. */
  private plainCall(i: number) {
    if (envNameAt(this, i + 2)) envCall(this, null, this.t(i).value, this.args(i + 1), this.t(i).line)
  }

  argValue(args: Range[], n: number): GoValue {
    const r = args[n]
    return r ? this.eval(r[0], r[1], 0) : UNKNOWN
  }


  // ---- expressions --------------------------------------------------------------------------

  eval(a: number, b: number, depth: number): GoValue {
    if (depth > MAX_DEPTH || a >= b) return UNKNOWN
    const parts: Range[] = []
    let start = a
    let count = 0
    for (let j = a; j < b; j++) {
      if (++count > MAX_STMT) return UNKNOWN
      if (this.isOpener(j)) j = this.close(j)
      else if (this.op(j, '+') && j > start) {
        parts.push([start, j])
        start = j + 1
      }
    }
    parts.push([start, b])
    if (parts.length === 1) return this.operand(a, b, depth)
    return { k: 'cat', parts: parts.map(([x, y]) => this.operand(x, y, depth + 1)) }
  }

  private operand(a: number, b: number, depth: number): GoValue {
    while (a < b && (this.op(a, '*') || this.op(a, '&'))) a++
    if (a >= b || depth > MAX_DEPTH) return UNKNOWN
    const first = this.t(a)
    if (this.op(a, '(') && this.close(a) === b - 1) return this.eval(a + 1, b - 1, depth + 1)
    if (b - a === 1) {
      if (first.kind === 'string') return { k: 'str', v: first.value }
      if (first.kind === 'number') return /^\d[\d_]*$/.test(first.value) ? { k: 'num', v: Number(first.value.replace(/_/g, '')) } : UNKNOWN
      if (first.kind === 'ident' && !isKeyword(first.value) && !['true', 'false', 'nil'].includes(first.value) && !this.importNames.has(first.value))
        return { k: 'ref', name: first.value, line: first.line }
      return UNKNOWN
    }
    // A selector chain: cfg.Addr, s.cfg.Port (a package-qualified name such as http.MethodGet is unknown).
    if (this.isChain(a, b)) {
      const pkg = this.importNames.get(first.value)
      if (pkg === undefined) return { k: 'ref', name: this.text([a, b]), line: first.line }
      // Another package's variable or constant (`config.DefaultAddr`): needs.ts follows it into the module's own packages.
      return b - a === 3 && !isStdlib(pkg) ? { k: 'pkgref', pkg, name: this.t(a + 2).value, line: first.line } : UNKNOWN
    }
    // A call: callee(args)
    if (this.op(b - 1, ')')) {
      const open = this.openerOf(b - 1)
      if (open <= a || !this.isChain(a, open)) return UNKNOWN
      const args = this.splitCommas(open + 1, b - 1)
      const callee = this.text([a, open]).split('.')
      const line = first.line
      const argv = () => args.map(([x, y]) => this.eval(x, y, depth + 1))
      if (callee.length === 1) {
        const fn = callee[0] ?? ''
        if (fn === 'string' && args[0]) return this.eval(args[0][0], args[0][1], depth + 1)
        return { k: 'call', pkg: null, name: fn, args: argv(), line }
      }
      const [qual = '', fn = ''] = callee.length === 2 ? callee : [callee.slice(0, -1).join('.'), callee[callee.length - 1]]
      const pkg = this.importNames.get(qual)
      if (pkg !== undefined && callee.length === 2) return this.known(pkg, fn, args, line, depth)
      if (this.flagSets.has(qual)) {
        if (/^Get[A-Z]/.test(fn)) return flagRef(this, args, line)
        const f = flagValue(this, fn, args, depth)
        return f ? { k: 'flag', name: f.name, def: f.def } : UNKNOWN
      }
      if (this.viperVars.has(qual) && /^Get[A-Z]?/.test(fn)) return this.viperGet(args, line)
      // urfave/cli: c.String("port"), cmd.Int("port") read a flag by name.
      if (this.usesUrfave && callee.length === 2 && URFAVE_GETTERS.has(fn)) return flagRef(this, args, line)
      return { k: 'call', pkg: null, name: callee.join('.'), args: argv(), line }
    }
    // cobra: cmd.Flags().GetInt("port")
    if (this.usesCobra && this.op(b - 1, ')')) {
      const open = this.openerOf(b - 1)
      if (this.id(open - 1) && /^Get[A-Z]/.test(this.t(open - 1).value) && this.op(open - 2, '.') && this.op(open - 3, ')') && this.op(open - 4, '(') && /^(?:Flags|PersistentFlags|LocalFlags)$/.test(this.t(open - 5).value))
        return flagRef(this, this.splitCommas(open + 1, b - 1), first.line)
    }
    return UNKNOWN
  }


  private viperGet(args: Range[], line: number): GoValue {
    const key = this.strArg(args[0])
    return key === null ? UNKNOWN : { k: 'cfgkey', key: key.toLowerCase(), line }
  }

  private known(pkg: string, fn: string, args: Range[], line: number, depth: number): GoValue {
    const ev = (n: number): GoValue => {
      const r = args[n]
      return r ? this.eval(r[0], r[1], depth + 1) : UNKNOWN
    }
    const key = `${pkg}.${fn}`
    if (key === 'os.Getenv' || key === 'os.LookupEnv' || key === 'syscall.Getenv') return envValue(this, args, line)
    if (FLAG_PACKAGES.has(pkg)) {
      const f = flagValue(this, fn, args, depth)
      if (f) return { k: 'flag', name: f.name, def: f.def }
    }
    if (key === 'fmt.Sprintf') {
      const format = this.strArg(args[0])
      return format === null ? UNKNOWN : { k: 'fmt', format, args: args.slice(1).map(([x, y]) => this.eval(x, y, depth + 1)) }
    }
    if (key === 'net.JoinHostPort') return { k: 'cat', parts: [ev(0), { k: 'str', v: ':' }, ev(1)] }
    if (pkg === 'strconv' && /^(?:Itoa|Atoi|FormatInt|FormatUint|ParseInt|ParseUint)$/.test(fn)) return ev(0)
    if (key === 'strings.TrimSpace') return ev(0)
    if (key === 'cmp.Or') return cmpOr(this, args.map((_, n) => ev(n)))
    if (pkg === 'github.com/spf13/viper' && /^Get[A-Z]?/.test(fn)) return this.viperGet(args, line)
    return { k: 'call', pkg, name: fn, args: args.map((_, n) => ev(n)), line }
  }

  // ---- helpers ------------------------------------------------------------------------------

  isOpener(j: number): boolean {
    const t = this.toks[j]
    return t !== undefined && t.kind === 'op' && (t.value === '(' || t.value === '[' || t.value === '{')
  }

  openerOf(closeIdx: number): number {
    const m = this.match[closeIdx]
    return m === undefined ? -1 : m
  }

  isChain(a: number, b: number): boolean {
    if ((b - a) % 2 === 0) return false
    for (let j = a; j < b; j++) if ((j - a) % 2 === 0 ? !this.id(j) : !this.op(j, '.')) return false
    return true
  }

  strArg(r: Range | undefined): string | null {
    if (!r || r[1] - r[0] !== 1) return null
    const t = this.t(r[0])
    return t.kind === 'string' ? t.value : null
  }

  args(open: number): Range[] {
    return this.splitCommas(open + 1, this.close(open))
  }

  /** Where the statement starting at `a` ends: a semicolon, or the bracket that closes around it. */
  stmtEnd(a: number): number {
    if (a >= this.toks.length) return this.toks.length
    return this.stmtEnds[a] ?? this.toks.length
  }

  /** stmtEnd for every index in one backward pass, so no lookahead has to walk a statement twice. */
  private statementEnds(): Int32Array {
    const n = this.toks.length
    const ends = new Int32Array(n)
    for (let j = n - 1; j >= 0; j--) {
      const t = this.t(j)
      if (t.kind === 'semi' || (t.kind === 'op' && (t.value === ')' || t.value === ']' || t.value === '}'))) ends[j] = j
      else if (this.isOpener(j)) {
        const after = this.close(j) + 1
        ends[j] = after >= n ? n : (ends[after] ?? n)
      } else ends[j] = j + 1 >= n ? n : (ends[j + 1] ?? n)
    }
    return ends
  }

  splitCommas(a: number, b: number): Range[] {
    const out: Range[] = []
    let start = a
    for (let j = a, count = 0; j < b && count < MAX_STMT; j++, count++) {
      if (this.isOpener(j)) j = this.close(j)
      else if (this.op(j, ',')) {
        if (j > start) out.push([start, j])
        start = j + 1
      }
    }
    if (b > start) out.push([start, b])
    return out
  }

  splitSemis(a: number, b: number): Range[] {
    const out: Range[] = []
    let start = a
    for (let j = a; j < b; j++) {
      if (this.isOpener(j)) j = this.close(j)
      else if (this.t(j).kind === 'semi') {
        if (j > start) out.push([start, j])
        start = j + 1
      }
    }
    if (b > start) out.push([start, b])
    return out
  }

  text([a, b]: Range): string {
    let s = ''
    for (let j = a; j < b && j - a < 64; j++) {
      const t = this.t(j)
      s += t.kind === 'string' ? JSON.stringify(t.value) : t.value
    }
    return s
  }
}

/** For each opening bracket, the index of its closing one (tokens.length when unclosed), and back; -1 elsewhere. */
function matchBrackets(toks: readonly Token[]): Int32Array {
  const m = new Int32Array(toks.length).fill(-1)
  const stack: number[] = []
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' }
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]
    if (!t || t.kind !== 'op') continue
    const v = t.value
    if (v === '(' || v === '[' || v === '{') stack.push(i)
    else if (v === ')' || v === ']' || v === '}') {
      const top = stack[stack.length - 1]
      if (top !== undefined && toks[top]?.value === pairs[v]) {
        stack.pop()
        m[top] = i
        m[i] = top
      }
    }
  }
  for (const open of stack) m[open] = toks.length
  return m
}

/**
 * A copy of a string that does not share memory with the file it was cut from. V8 keeps a slice of
 * 13+ characters as a pointer into its parent, so one kept import path would pin a whole source file.
 */
function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1)
}

/** `//go:embed a.txt "b c.txt" static/*` → ["a.txt", "b c.txt", "static/*"]. */
export function splitEmbedPatterns(rest: string): string[] {
  const out: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g
  for (let m = re.exec(rest); m; m = re.exec(rest)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? ''))
  return out.filter(Boolean)
}
