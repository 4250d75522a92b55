// What the base cards say about a base for this project: whether it can run it, and its facts in
// the order every card shows them.
import type { BaseImage } from '../../../../shared/dockerfile/bases'
import type { ProjectAnalysis } from '../../../../shared/types/project'

/** Why `base` cannot run this project, or null when it can. */
export function baseMisfit(analysis: Pick<ProjectAnalysis, 'needs'>, base: BaseImage): string | null {
  if (analysis.needs.cgo.length === 0 || base.runsCgo) return null
  return base.libc === 'musl'
    ? 'The program needs cgo; this base has musl, and a binary linked against glibc will not start on it.'
    : 'The program needs cgo; this base has no C library to run it.'
}

/** One fact about a base, as a card shows it. */
export interface BaseFact {
  key: 'shell' | 'certs' | 'tz' | 'libc' | 'user'
  /** Short label for the card. */
  label: string
  /** Present (true), absent (false), or neither (a value such as the libc). */
  on: boolean | null
  /** Plain words for a tooltip. */
  title: string
}

/** The five facts every card lists, in the same order: shell, CA certificates, tz data, C library, user. */
export function baseFacts(b: BaseImage): BaseFact[] {
  const user = b.defaultUser
  return [
    { key: 'shell', label: 'shell', on: b.shell, title: b.shell ? 'Has /bin/sh: you can `docker exec … sh` into it.' : 'No shell: debug from outside the container.' },
    {
      key: 'certs',
      label: 'certs',
      on: b.caCerts,
      title: b.caCerts ? 'Ships a CA bundle for outbound TLS.' : 'No CA bundle: Slipway copies one in when the program makes TLS calls.',
    },
    {
      key: 'tz',
      label: 'tzdata',
      on: b.tzdata,
      title: b.tzdata ? 'Ships /usr/share/zoneinfo.' : 'No time zone data: Slipway embeds it in the binary when the program loads zones.',
    },
    {
      key: 'libc',
      label: b.libc === 'none' ? 'no libc' : b.libc,
      on: null,
      title: b.libc === 'none' ? 'No C library: static binaries only.' : b.libc === 'glibc' ? 'glibc: runs cgo binaries from a Debian builder.' : 'musl: cgo binaries from a Debian builder do not start.',
    },
    {
      key: 'user',
      label: user.uid === 0 ? (user.name ? 'root' : 'no users') : (user.name ?? String(user.uid)),
      on: null,
      title:
        user.uid === 0
          ? `${user.name ? 'Runs as root by default' : 'Has no /etc/passwd, so it would run as uid 0'}; Slipway sets USER 65532:65532.`
          : `Runs as ${user.name ?? 'uid'} (${user.uid}) by default.`,
    },
  ]
}
