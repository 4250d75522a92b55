// busybox keeps its applet names as one NUL-separated, sorted string ("[\0[[\0acpid\0…"): read
// from the binary, they give the links `busybox --install -s` would make, without running it.

const APPLET = /^[a-z0-9_.[-]+$/

/** The applet names compiled into a busybox binary; throws when the table cannot be found. */
export function busyboxApplets(binary: Uint8Array): string[] {
  const marker = new Uint8Array([0, 0x5b, 0, 0x5b, 0x5b, 0]) // "\0[\0[[\0"
  const at = indexOf(binary, marker)
  if (at < 0) throw new Error('no applet table in the busybox binary')
  const out: string[] = []
  let start = at + 1
  for (;;) {
    const end = binary.indexOf(0, start)
    if (end < 0 || end === start) break
    const name = String.fromCharCode(...binary.subarray(start, end))
    // The table is sorted; anything out of order or not a name is past its end.
    if (!APPLET.test(name) || (out.length && name <= out[out.length - 1]!)) break
    out.push(name)
    start = end + 1
  }
  if (out.length < 10) throw new Error(`only ${out.length} applets found in the busybox binary`)
  return out
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0]!
  for (let i = hay.indexOf(first); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    let ok = true
    for (let j = 1; j < needle.length; j++) {
      if (hay[i + j] !== needle[j]) {
        ok = false
        break
      }
    }
    if (ok) return i
  }
  return -1
}
