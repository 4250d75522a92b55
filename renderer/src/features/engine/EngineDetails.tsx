import { formatBytes, formatRelativeTime } from '../../../../shared/format'
import type { EngineInfo } from '../../../../shared/types/engine'
import { PropertyList, type Property } from '../../components/PropertyList'
import { useNow } from '../../hooks/use-now'
import { endpointSource } from './engine-labels'

/** Splits "15.5 GiB" so the number and its unit can be styled apart. */
function splitUnit(text: string): { value: string; unit?: string } {
  const m = /^([\d.,]+)\s+(\S+)$/.exec(text)
  return m?.[1] && m[2] ? { value: m[1], unit: m[2] } : { value: text }
}

/** Every fact the engine reported, label left and value right, numbers with their units. */
export function EngineDetails({ info, since }: { info: EngineInfo; since: number }) {
  const now = useNow(10_000)
  const memory = splitUnit(formatBytes(info.memoryBytes, { binary: true }))
  const defaultBuilder = info.defaultBuilder === 'buildkit' ? 'BuildKit' : 'Classic'
  const items: Property[] = [
    { label: 'Name', value: info.name || '—' },
    { label: 'Docker', value: info.version },
    { label: 'API', value: info.minApiVersion ? `${info.apiVersion} (min ${info.minApiVersion})` : info.apiVersion },
    { label: 'OS', value: info.operatingSystem || info.os },
    { label: 'Platform', value: `${info.os}/${info.arch}` },
    { label: 'Kernel', value: info.kernel || '—', mono: true },
    { label: 'Storage driver', value: info.storageDriver || '—' },
    { label: 'BuildKit', value: info.buildkit ? 'Available' : 'Not available' },
    { label: 'Default builder', value: defaultBuilder },
    { label: 'CPUs', value: info.cpus.toLocaleString('en-US'), unit: info.cpus === 1 ? 'core' : 'cores' },
    { label: 'Memory', value: memory.value, ...(memory.unit ? { unit: memory.unit } : {}) },
    { label: 'Images', value: info.images.toLocaleString('en-US') },
    { label: 'Containers', value: info.containers.toLocaleString('en-US'), unit: `(${info.containersRunning.toLocaleString('en-US')} running)` },
    { label: 'Endpoint', value: info.endpoint.host, mono: true },
    { label: 'Found by', value: endpointSource(info.endpoint) + (info.endpoint.tls ? ' · TLS' : '') },
    { label: 'Connected', value: formatRelativeTime(since, now) },
  ]
  return <PropertyList items={items} label="Docker Engine details" />
}
