// The chart as a picture: the on-screen SVG is cloned with its computed colours and fonts written
// onto each element (theme variables do not exist inside an image), drawn on a canvas and saved as
// PNG. Then the clipboard (desktop) or a download (browser mode, or where the clipboard refuses).

// What an SVG element needs to look the same outside the page's style sheets.
const PAINT = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'letter-spacing', 'font-variant-numeric'] as const

/** Renders an on-screen SVG to a PNG at `scale` × its size (2: sharp on high-density screens and in documents). */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect()
  const clone = svg.cloneNode(true) as SVGSVGElement
  const from = [svg, ...svg.querySelectorAll('*')]
  const to = [clone, ...clone.querySelectorAll('*')]
  from.forEach((el, i) => {
    const target = to[i]
    if (!target) return
    const cs = getComputedStyle(el)
    target.setAttribute('style', PAINT.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'))
    target.removeAttribute('class')
  })
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  clone.setAttribute('width', String(Math.round(width)))
  clone.setAttribute('height', String(Math.round(height)))
  // A data: URL, because the page's CSP allows images from data: and not from blob:.
  const img = new Image()
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(clone))}`
  await img.decode()
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(width * scale)
  canvas.height = Math.round(height * scale)
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('This window cannot draw on a canvas.')
  ctx.scale(scale, scale)
  ctx.drawImage(img, 0, 0, width, height)
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The chart could not be turned into a PNG.'))), 'image/png'))
}

/** Saves a blob through the browser's download (a temporary link; nothing is navigated). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.append(a)
  a.click()
  a.remove()
  // The download has taken its copy once the click returns; keep the URL a moment for slow handlers.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Puts a PNG on the clipboard; false where the clipboard has no image support or the permission is refused. */
export async function copyPng(blob: Blob): Promise<boolean> {
  try {
    if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') return false
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })])
    return true
  } catch {
    return false
  }
}
