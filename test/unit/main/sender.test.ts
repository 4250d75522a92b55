import { describe, expect, it } from 'vitest'
import { type FrameLike, isTrustedSender } from '../../../electron/main/sender'

const ORIGIN = 'slipway://app'

function frame(url: string, parent: FrameLike | null = null, processId = 4, routingId = 1): FrameLike {
  return { url, parent, processId, routingId }
}

function contents(mainFrame: FrameLike, destroyed = false) {
  return { id: Math.random(), mainFrame, isDestroyed: () => destroyed }
}

describe('isTrustedSender', () => {
  const top = frame('slipway://app/index.html#/images')
  const ours = contents(top)
  const isOurs = (wc: unknown) => wc === ours

  it('accepts the main frame of an attached window showing the app', () => {
    expect(isTrustedSender({ sender: ours, senderFrame: top }, isOurs, ORIGIN)).toBe(true)
  })

  it('refuses a subframe, even one on the app origin', () => {
    const child = frame('slipway://app/index.html', top, 4, 7)
    expect(isTrustedSender({ sender: ours, senderFrame: child }, isOurs, ORIGIN)).toBe(false)
  })

  it('refuses a frame that has gone (senderFrame null)', () => {
    expect(isTrustedSender({ sender: ours, senderFrame: null }, isOurs, ORIGIN)).toBe(false)
  })

  it('refuses a webContents the transport never attached', () => {
    const stranger = contents(top)
    expect(isTrustedSender({ sender: stranger, senderFrame: top }, isOurs, ORIGIN)).toBe(false)
  })

  it('refuses a destroyed webContents', () => {
    const gone = contents(top, true)
    expect(isTrustedSender({ sender: gone, senderFrame: top }, (wc) => wc === gone, ORIGIN)).toBe(false)
  })

  it('refuses a main frame that shows another origin', () => {
    for (const url of ['https://example.com/', 'file:///tmp/x.html', 'slipway://evil/', 'about:blank', '']) {
      const f = frame(url)
      const wc = contents(f)
      expect(isTrustedSender({ sender: wc, senderFrame: f }, (w) => w === wc, ORIGIN), url).toBe(false)
    }
  })

  it('refuses a top-level frame that is not the sender’s main frame', () => {
    const other = frame('slipway://app/', null, 9, 1)
    expect(isTrustedSender({ sender: ours, senderFrame: other }, isOurs, ORIGIN)).toBe(false)
  })
})
