/* global window, document, getComputedStyle, NodeFilter */
// Runs in the page (test/e2e/layout.test.ts adds it with page.addScriptTag): the layout problems a
// person would see on the current screen, as readable strings.
//  - an interactive element outside the window, or cut by an ancestor that hides its overflow
//    (inside a scrolling container it may be scrolled to, so only the window and clipping ancestors
//    up to that container count);
//  - two texts drawn over each other (each text clipped to its clipping ancestors first, and not
//    counted when a third, opaque element covers one of them, as a sticky table header does).
window.slipwayLayoutProblems = function slipwayLayoutProblems() {
  const TOL = 1
  const vw = window.innerWidth
  const vh = window.innerHeight
  const problems = []

  const name = (el) => {
    const id = el.getAttribute('data-testid')
    const label = el.getAttribute('aria-label') || (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40)
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 2).join('.')}` : ''
    return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : cls}${label ? ` "${label}"` : ''}`
  }
  const shown = (el) => {
    if (el.closest('[hidden], [aria-hidden="true"], [inert]')) return false
    const s = getComputedStyle(el)
    if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0) return false
    const r = el.getBoundingClientRect()
    return r.width > 2 && r.height > 2
  }
  // A container that scrolls without a scrollbar (tab lists do) hides what is out of view as surely as one that clips.
  const clips = (v, s) => v === 'hidden' || v === 'clip' || ((v === 'auto' || v === 'scroll') && s.scrollbarWidth === 'none')
  const scrolls = (v, s) => (v === 'auto' || v === 'scroll') && s.scrollbarWidth !== 'none'

  // 1. Interactive elements: inside the window and inside every ancestor that clips them.
  const interactive = document.querySelectorAll(
    'button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=tab], [role=radio], [role=checkbox], [role=switch], [role=combobox], [role=menuitem], [tabindex]:not([tabindex="-1"])',
  )
  for (const el of interactive) {
    if (!shown(el)) continue
    const r = el.getBoundingClientRect()
    let scrollX = false
    let scrollY = false
    for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      const s = getComputedStyle(p)
      if (s.position === 'fixed') break
      const pr = p.getBoundingClientRect()
      if (!scrollX && clips(s.overflowX, s) && (r.left < pr.left - TOL || r.right > pr.right + TOL)) {
        problems.push(`${name(el)} is cut off sideways by ${name(p)}`)
        break
      }
      if (!scrollY && clips(s.overflowY, s) && (r.top < pr.top - TOL || r.bottom > pr.bottom + TOL)) {
        problems.push(`${name(el)} is cut off top or bottom by ${name(p)}`)
        break
      }
      scrollX ||= scrolls(s.overflowX, s)
      scrollY ||= scrolls(s.overflowY, s)
    }
    if (!scrollX && (r.left < -TOL || r.right > vw + TOL)) problems.push(`${name(el)} lies outside the window sideways (${Math.round(r.left)}–${Math.round(r.right)} of ${vw})`)
    if (!scrollY && (r.top < -TOL || r.bottom > vh + TOL)) problems.push(`${name(el)} lies below or above the window (${Math.round(r.top)}–${Math.round(r.bottom)} of ${vh})`)
  }

  // 2. Texts over texts.
  const boxes = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue || !n.nodeValue.trim()) continue
    const el = n.parentElement
    if (!el || el.closest('svg, script, style') || !shown(el)) continue
    // What of the text can be seen: its line boxes cut by every ancestor that clips or scrolls.
    let clip = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity }
    for (let p = el; p && p !== document.documentElement; p = p.parentElement) {
      const s = getComputedStyle(p)
      const pr = p.getBoundingClientRect()
      if (s.overflowX !== 'visible') clip = { ...clip, left: Math.max(clip.left, pr.left), right: Math.min(clip.right, pr.right) }
      if (s.overflowY !== 'visible') clip = { ...clip, top: Math.max(clip.top, pr.top), bottom: Math.min(clip.bottom, pr.bottom) }
      if (s.position === 'fixed') break
    }
    const range = document.createRange()
    range.selectNodeContents(n)
    for (const r of range.getClientRects()) {
      const b = { left: Math.max(r.left, clip.left, 0), top: Math.max(r.top, clip.top, 0), right: Math.min(r.right, clip.right, vw), bottom: Math.min(r.bottom, clip.bottom, vh) }
      if (b.right - b.left > 1 && b.bottom - b.top > 1) boxes.push({ ...b, el, text: n.nodeValue.trim().slice(0, 30) })
    }
  }
  boxes.sort((a, b) => a.top - b.top)
  const opaque = (el) => {
    for (let p = el; p; p = p.parentElement) {
      const m = /rgba?\(([^)]+)\)/.exec(getComputedStyle(p).backgroundColor)
      const alpha = m ? Number(m[1].split(',')[3] ?? 1) : 0
      if (alpha > 0.9) return p
    }
    return null
  }
  const seen = new Set()
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]
    for (let j = i + 1; j < boxes.length && boxes[j].top < a.bottom - 2; j++) {
      const b = boxes[j]
      if (a.el === b.el) continue
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left)
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
      if (w <= 2 || h <= 2) continue
      // Which one is on top where they meet; the other counts only when nothing opaque hides it.
      const x = Math.max(a.left, b.left) + w / 2
      const y = Math.max(a.top, b.top) + h / 2
      const top = document.elementFromPoint(x, y)
      if (!top) continue
      const [upper, lower] = a.el.contains(top) || top.contains(a.el) ? [a, b] : b.el.contains(top) || top.contains(b.el) ? [b, a] : [null, null]
      if (!upper) continue
      const cover = opaque(top)
      if (cover && !cover.contains(lower.el)) continue
      const key = `${upper.text}|${lower.text}`
      if (seen.has(key)) continue
      seen.add(key)
      problems.push(`text "${a.text}" (${name(a.el)}) overlaps "${b.text}" (${name(b.el)})`)
    }
  }
  return problems
}
