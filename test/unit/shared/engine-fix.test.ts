import { describe, expect, it } from 'vitest'
import { groupName, installSteps, linuxPackage, notRunningSteps, parseOsRelease, permissionSteps } from '../../../shared/engine-fix'

const debian = { id: 'debian', like: [] }
const commands = (lines: string[]) => lines.flatMap((l) => [...l.matchAll(/`([^`]+)`/g)].map((m) => m[1]))

describe('reading the computer', () => {
  it('reads ID and ID_LIKE from os-release, quoted or not', () => {
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n')).toEqual({ id: 'debian', like: [] })
    expect(parseOsRelease('ID="rocky"\nID_LIKE="rhel centos fedora"\n')).toEqual({ id: 'rocky', like: ['rhel', 'centos', 'fedora'] })
    expect(parseOsRelease('NAME=x\n')).toBeNull()
    // Whatever else is in the file never reaches a command.
    expect(parseOsRelease('ID="$(rm -rf ~)"\n')).toBeNull()
  })

  it('names a group by its id', () => {
    const etc = 'root:x:0:\ndaemon:x:1:\ndocker:x:998:alice\n'
    expect(groupName(etc, 998)).toBe('docker')
    expect(groupName(etc, 0)).toBe('root')
    expect(groupName(etc, 5)).toBeNull()
  })
})

describe('installing and starting an engine on this OS', () => {
  it("uses the distribution's own package, through ID_LIKE for derivatives", () => {
    expect(linuxPackage(debian)?.install).toBe('sudo apt-get install docker.io')
    expect(linuxPackage({ id: 'ubuntu', like: ['debian'] })?.install).toBe('sudo apt-get install docker.io')
    expect(linuxPackage({ id: 'fedora', like: [] })?.install).toBe('sudo dnf install moby-engine')
    expect(linuxPackage({ id: 'rocky', like: ['rhel', 'centos', 'fedora'] })).toMatchObject({ install: 'sudo dnf install podman-docker', start: 'sudo systemctl enable --now podman.socket' })
    expect(linuxPackage({ id: 'endeavouros', like: ['arch'] })?.install).toBe('sudo pacman -S docker')
    expect(linuxPackage({ id: 'opensuse-tumbleweed', like: ['opensuse', 'suse'] })?.install).toBe('sudo zypper install docker')
    expect(linuxPackage({ id: 'nixos', like: [] })).toBeNull()
    expect(linuxPackage(null)).toBeNull()
  })

  it('Linux: install, start at boot, and the ways without root', () => {
    const steps = installSteps('linux', { distro: debian })
    expect(commands(steps)).toEqual(['sudo apt-get install docker.io', 'sudo systemctl enable --now docker', 'dockerd-rootless-setuptool.sh install', 'systemctl --user enable --now podman.socket'])
    expect(installSteps('linux', {})[0]).toMatch(/docker\.io, moby-engine or docker/)
  })

  it('macOS: Docker Desktop, colima or Rancher Desktop; Windows: Docker Desktop or Rancher Desktop', () => {
    const mac = installSteps('darwin').join('\n')
    for (const name of ['Docker Desktop', 'colima', 'Rancher Desktop']) expect(mac).toContain(name)
    expect(commands(installSteps('darwin'))).toEqual(['brew install colima docker', 'colima start', 'colima start'])
    const win = installSteps('win32').join('\n')
    expect(win).toContain('Docker Desktop')
    expect(win).toContain('Rancher Desktop')
    expect(win).not.toContain('sudo')
  })
})

describe('when nothing answers', () => {
  const where = 'unix:///var/run/docker.sock'
  it('a missing socket: install and start; a socket that refuses: start', () => {
    const missing = notRunningSteps(where, true, 'linux', 'default', { distro: debian })
    expect(missing[0]).toBe(`Nothing answers on ${where}.`)
    expect(commands(missing)).toContain('sudo apt-get install docker.io')
    const stopped = notRunningSteps(where, false, 'linux', 'default', { distro: debian })
    expect(stopped).toEqual([`Nothing answers on ${where}.`, 'Start it: `sudo systemctl start docker`'])
    expect(notRunningSteps('unix:///run/user/1000/docker.sock', false, 'linux', 'DOCKER_HOST', {})).toContain('Start your rootless engine: `systemctl --user start docker`')
    expect(notRunningSteps('npipe:////./pipe/docker_engine', false, 'win32', 'default').at(-1)).toMatch(/^Start Docker Desktop/)
  })

  it('says when DOCKER_HOST or a context chose the socket', () => {
    expect(notRunningSteps('unix:///tmp/x.sock (from DOCKER_HOST)', true, 'linux', 'DOCKER_HOST')[1]).toMatch(/^DOCKER_HOST chose this socket: unset it/)
    expect(notRunningSteps('unix:///tmp/x.sock', true, 'darwin', 'context')[1]).toContain('`docker context use default`')
  })
})

describe('when the socket refuses this user', () => {
  const where = 'unix:///var/run/docker.sock'
  it("joins the socket's group, and says a running program keeps its old groups", () => {
    const steps = permissionSteps(where, 'linux', { socketGroup: 'docker' })
    expect(commands(steps)).toEqual(['sudo usermod -aG docker $USER', 'newgrp docker', 'dockerd-rootless-setuptool.sh install'])
    expect(steps.join('\n')).toContain('start Slipway again')
    expect(commands(permissionSteps(where, 'linux', { socketGroup: 'podman' }))[0]).toBe('sudo usermod -aG podman $USER')
    // A group name that is not one never reaches a command.
    expect(commands(permissionSteps(where, 'linux', { socketGroup: 'x; rm -rf /' }))[0]).toBe('sudo usermod -aG docker $USER')
  })

  it('a socket only root may use: make the docker group and restart the engine', () => {
    const steps = permissionSteps(where, 'linux', { socketGroup: 'root' })
    expect(steps[0]).toBe(`Only root may use ${where} (its group is root).`)
    expect(commands(steps)).toContain('sudo systemctl restart docker')
  })

  it('elsewhere: Docker Desktop', () => {
    expect(permissionSteps(where, 'darwin').join(' ')).toContain('Docker Desktop')
  })
})
