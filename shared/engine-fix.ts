// What to do when no Docker Engine answers, for this computer: how to install and start one on this
// OS (the distribution's own package on Linux; Docker Desktop, colima or Rancher Desktop on macOS and
// Windows; rootless Docker or Podman's socket without root), and the group fix when the socket is
// there but refuses this user. Pure: the engine service gathers the facts, every front end shows
// the lines (the CLI prints them, the status bar's fix-it lists them with commands to copy).

/** What the engine service knows about the computer when the engine is not there. */
export interface HostFacts {
  /** /etc/os-release's ID and ID_LIKE (Linux), lower case. */
  distro?: { id: string; like: readonly string[] } | null
  /** The group that owns the socket (for a permission problem), when it could be read. */
  socketGroup?: string | null
}

/** Reads ID and ID_LIKE out of /etc/os-release text. */
export function parseOsRelease(text: string): { id: string; like: string[] } | null {
  const value = (key: string) => {
    const m = new RegExp(`^${key}=(.*)$`, 'm').exec(text)
    return m?.[1]?.trim().replace(/^(["'])(.*)\1$/, '$2').toLowerCase() ?? ''
  }
  const id = value('ID')
  if (!/^[a-z0-9._-]{1,64}$/.test(id)) return null
  return { id, like: value('ID_LIKE').split(/\s+/).filter((x) => /^[a-z0-9._-]{1,64}$/.test(x)) }
}

/** The name of group `gid` in /etc/group text, or null. */
export function groupName(etcGroup: string, gid: number): string | null {
  for (const line of etcGroup.split('\n')) {
    const [name, , id] = line.split(':')
    if (name && id !== undefined && Number(id) === gid && id.trim() !== '') return name
  }
  return null
}

interface LinuxPackage {
  /** How the person's distribution names its own package, in words. */
  what: string
  install: string
  start: string
}

/** The distribution's own Docker (or Docker-compatible) package, by os-release ID then ID_LIKE. */
export function linuxPackage(distro: HostFacts['distro']): LinuxPackage | null {
  const systemd = 'sudo systemctl enable --now docker'
  const table: [readonly string[], LinuxPackage][] = [
    [['debian', 'ubuntu', 'raspbian', 'linuxmint', 'pop'], { what: 'the docker.io package', install: 'sudo apt-get install docker.io', start: systemd }],
    [['fedora'], { what: 'the moby-engine package', install: 'sudo dnf install moby-engine', start: systemd }],
    // RHEL and its rebuilds ship Podman, whose socket speaks Docker's API; podman-docker puts it at /run/docker.sock.
    [['rhel', 'centos', 'rocky', 'almalinux', 'ol'], { what: 'Podman with its Docker-compatible socket', install: 'sudo dnf install podman-docker', start: 'sudo systemctl enable --now podman.socket' }],
    [['arch', 'manjaro', 'endeavouros'], { what: 'the docker package', install: 'sudo pacman -S docker', start: systemd }],
    [['opensuse', 'opensuse-leap', 'opensuse-tumbleweed', 'suse', 'sles'], { what: 'the docker package', install: 'sudo zypper install docker', start: systemd }],
    [['alpine'], { what: 'the docker package', install: 'sudo apk add docker', start: 'sudo rc-update add docker default && sudo service docker start' }],
  ]
  if (!distro) return null
  for (const id of [distro.id, ...distro.like]) {
    const hit = table.find(([ids]) => ids.includes(id))
    if (hit) return hit[1]
  }
  return null
}

const ROOTLESS =
  'Without root: rootless Docker (`dockerd-rootless-setuptool.sh install`) or Podman’s socket (`systemctl --user enable --now podman.socket`); then point DOCKER_HOST at the socket it names.'

/** How to install and start an engine on this OS, one step a line, commands in backticks. */
export function installSteps(platform: string, facts: HostFacts = {}): string[] {
  if (platform === 'darwin')
    return [
      'Install and start an engine: Docker Desktop (docker.com), colima (`brew install colima docker`, then `colima start`) or Rancher Desktop (with its dockerd (moby) engine).',
      'Each one sets the docker context Slipway follows; colima needs `colima start` after each restart.',
    ]
  if (platform === 'win32') return ['Install and start Docker Desktop (docker.com) or Rancher Desktop (with its dockerd (moby) engine).']
  const pkg = linuxPackage(facts.distro)
  return [
    pkg
      ? `Install Docker Engine from your distribution (${pkg.what}): \`${pkg.install}\``
      : 'Install Docker Engine with your distribution’s package manager (the package is called docker.io, moby-engine or docker), or Docker Desktop for Linux.',
    pkg ? `Start it, and at every boot: \`${pkg.start}\`` : 'Start it, and at every boot: `sudo systemctl enable --now docker`',
    ROOTLESS,
  ]
}

/**
 * The fix when nothing answers on a local socket. `missing`: the socket file is not there (no
 * engine installed, or not started); otherwise it is there and refuses (installed, stopped).
 * `where` names the endpoint; `source` says who chose it (a wrong DOCKER_HOST is a fix of its own).
 */
export function notRunningSteps(where: string, missing: boolean, platform: string, source: string, facts: HostFacts = {}): string[] {
  const lines = [`Nothing answers on ${where}.`]
  if (source === 'DOCKER_HOST') lines.push('DOCKER_HOST chose this socket: unset it to use the default one, or start the engine it names.')
  else if (source === 'context' || source === 'DOCKER_CONTEXT') lines.push('A docker context chose this socket: `docker context use default` goes back to the default one, or start the engine it names.')
  if (missing) return [...lines, ...installSteps(platform, facts)]
  if (platform === 'darwin' || platform === 'win32') return [...lines, 'Start Docker Desktop (or colima / Rancher Desktop, whichever you installed).']
  const pkg = linuxPackage(facts.distro)
  const rootless = /\/run\/user\/\d+\//.test(where)
  return [...lines, rootless ? 'Start your rootless engine: `systemctl --user start docker`' : `Start it: \`${pkg?.start.replace('enable --now', 'start') ?? 'sudo systemctl start docker'}\``]
}

/** The fix when the socket is there but this user may not use it: join its group (and start again), or go rootless. */
export function permissionSteps(where: string, platform: string, facts: HostFacts = {}): string[] {
  if (platform !== 'linux') return [`Your user may not use ${where}.`, 'Check that your user may use Docker Desktop, then restart it.']
  const named = facts.socketGroup && /^[a-z_][a-z0-9_.-]{0,31}$/i.test(facts.socketGroup) ? facts.socketGroup : null
  if (named === 'root')
    // No group to join: dockerd hands its socket to the docker group when that group exists at its start.
    return [
      `Only root may use ${where} (its group is root).`,
      'Make a docker group and join it: `sudo groupadd -f docker && sudo usermod -aG docker $USER`',
      'Restart the engine so its socket belongs to that group: `sudo systemctl restart docker`',
      'Then log out and back in (or run `newgrp docker`) and start Slipway again: a running program keeps the groups it started with.',
      'Members of docker can do anything as root through Docker. Rootless Docker avoids that: `dockerd-rootless-setuptool.sh install`',
    ]
  const group = named ?? 'docker'
  return [
    `Your user may not use ${where}; members of the ${group} group may.`,
    `Add yourself to it: \`sudo usermod -aG ${group} $USER\``,
    `Then log out and back in (or run \`newgrp ${group}\`) and start Slipway again: a running program keeps the groups it started with.`,
    `Members of ${group} can do anything as root through Docker. Rootless Docker avoids that: \`dockerd-rootless-setuptool.sh install\``,
  ]
}
