import type { FieldError } from '../../errors.ts'

export type IpFamily = 4 | 6

export interface Cidr {
  family: IpFamily
  // Address as an unsigned integer (32 or 128 bits).
  address: bigint
  prefix: number
  // First address of the block (host bits cleared).
  network: bigint
}

// Defaults of hcp (support/globalconfig/network.go, used by cmd/cluster/core/create.go DefaultOptions)
// and the documented reserved ranges (002_ch1-3.md §3.1.3).
export const DEFAULT_CLUSTER_CIDR_V4 = '10.132.0.0/14'
export const DEFAULT_SERVICE_CIDR_V4 = '172.31.0.0/16'
export const DEFAULT_CLUSTER_CIDR_V6 = 'fd01::/48'
export const DEFAULT_SERVICE_CIDR_V6 = 'fd02::/112'
// OVN-Kubernetes v4InternalSubnet the hosted cluster uses; no cluster network may overlap it.
export const OVN_INTERNAL_SUBNET_V4 = '100.65.0.0/16'
// Host prefixes the operator assigns per node (support/globalconfig/network.go defaultIPv4HostPrefix/defaultIPv6HostPrefix).
export const DEFAULT_HOST_PREFIX = { 4: 23, 6: 64 } as const
// kube-apiserver refuses a service range with more than 20 host bits (--service-cluster-ip-range).
const MAX_SERVICE_HOST_BITS = 20

function bits (family: IpFamily): number {
  return family === 4 ? 32 : 128
}

function parseIPv4 (text: string): bigint | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0n
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null
    const n = Number(part)
    if (n > 255) return null
    value = (value << 8n) | BigInt(n)
  }
  return value
}

function parseIPv6 (text: string): bigint | null {
  let head = text
  let tail = ''
  let embeddedV4: bigint | null = null
  const lastColon = text.lastIndexOf(':')
  if (text.includes('.') && lastColon >= 0) {
    embeddedV4 = parseIPv4(text.slice(lastColon + 1))
    if (embeddedV4 === null) return null
    head = text.slice(0, lastColon + 1) + '0:0'
  }
  const doubleColon = head.indexOf('::')
  if (doubleColon !== head.lastIndexOf('::')) return null
  if (doubleColon >= 0) {
    tail = head.slice(doubleColon + 2)
    head = head.slice(0, doubleColon)
  }
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === '' ? [] : tail.split(':')
  const total = headGroups.length + tailGroups.length
  if (doubleColon < 0 ? total !== 8 : total > 7) return null
  const groups = [...headGroups, ...Array(8 - total).fill('0'), ...tailGroups]
  let value = 0n
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null
    value = (value << 16n) | BigInt(parseInt(group, 16))
  }
  if (embeddedV4 !== null) value = (value & ~0xffffffffn) | embeddedV4
  return value
}

export function parseIp (text: string): { family: IpFamily, address: bigint } | null {
  if (text.includes(':')) {
    const address = parseIPv6(text)
    return address === null ? null : { family: 6, address }
  }
  const address = parseIPv4(text)
  return address === null ? null : { family: 4, address }
}

export function parseCidr (text: string): Cidr | null {
  const slash = text.indexOf('/')
  if (slash < 0) return null
  const ip = parseIp(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (ip === null || !/^\d{1,3}$/.test(prefixText)) return null
  const prefix = Number(prefixText)
  const width = bits(ip.family)
  if (prefix > width) return null
  const hostBits = BigInt(width - prefix)
  const network = (ip.address >> hostBits) << hostBits
  return { family: ip.family, address: ip.address, prefix, network }
}

function lastAddress (cidr: Cidr): bigint {
  return cidr.network + (1n << BigInt(bits(cidr.family) - cidr.prefix)) - 1n
}

export function cidrsOverlap (a: Cidr | string, b: Cidr | string): boolean {
  const x = typeof a === 'string' ? parseCidr(a) : a
  const y = typeof b === 'string' ? parseCidr(b) : b
  if (x === null || y === null || x.family !== y.family) return false
  return x.network <= lastAddress(y) && y.network <= lastAddress(x)
}

// One CIDR on its own: parses, host bits are zero (hcp and the operator would silently use the
// network address otherwise, which hides typos such as 10.0.0.1/16).
export function validateCidr (text: string, field: string): FieldError[] {
  const cidr = parseCidr(text)
  if (cidr === null) {
    return [{ field, message: `"${text}" is not a valid CIDR (expected e.g. 10.0.0.0/16 or fd01::/48)`, constraint: 'format' }]
  }
  if (cidr.address !== cidr.network) {
    return [{ field, message: `"${text}" has host bits set; did you mean ${formatCidr(cidr)}?`, constraint: 'format' }]
  }
  return []
}

export function formatIp (family: IpFamily, address: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map(s => String((address >> s) & 255n)).join('.')
  }
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((address >> BigInt(i * 16)) & 0xffffn))
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i }
    i = j
  }
  const hex = groups.map(g => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

export function formatCidr (cidr: Cidr): string {
  return `${formatIp(cidr.family, cidr.network)}/${cidr.prefix}`
}

export interface NetworkingInput {
  networkType?: string
  clusterCidr?: string[]
  serviceCidr?: string[]
  machineCidr?: string[]
}

type Role = 'clusterCidr' | 'serviceCidr' | 'machineCidr'

interface Located { role: Role, index: number, cidr: Cidr, text: string }

function familyErrors (entries: Located[], role: Role, base: string): FieldError[] {
  const own = entries.filter(e => e.role === role)
  const errors: FieldError[] = []
  if (own.length > 2) {
    errors.push({ field: `${base}.${role}`, message: 'at most two entries (one IPv4 and one IPv6 for dual stack)', constraint: 'maxItems' })
  } else if (own.length === 2 && own[0].cidr.family === own[1].cidr.family) {
    errors.push({ field: `${base}.${role}[1]`, message: 'a dual-stack list needs one IPv4 and one IPv6 entry', constraint: 'family' })
  }
  return errors
}

function prefixErrors (e: Located, base: string): FieldError[] {
  const field = `${base}.${e.role}[${e.index}]`
  const width = bits(e.cidr.family)
  if (e.role === 'clusterCidr' && e.cidr.prefix >= DEFAULT_HOST_PREFIX[e.cidr.family]) {
    return [{
      field,
      message: `prefix /${e.cidr.prefix} leaves no room for per-node /${DEFAULT_HOST_PREFIX[e.cidr.family]} subnets; use a prefix shorter than /${DEFAULT_HOST_PREFIX[e.cidr.family]}`,
      constraint: 'prefix'
    }]
  }
  if (e.role === 'serviceCidr' && width - e.cidr.prefix > MAX_SERVICE_HOST_BITS) {
    return [{
      field,
      message: `service network /${e.cidr.prefix} is too large: the prefix must be at least /${width - MAX_SERVICE_HOST_BITS}`,
      constraint: 'prefix'
    }]
  }
  return []
}

// Cluster, service and machine networks must parse, be sane and not overlap each other or the
// OVN-Kubernetes internal subnet (002_ch1-3.md §3.1.3).
export function validateNetworking (input: NetworkingInput, base = 'body.networking'): FieldError[] {
  const errors: FieldError[] = []
  const entries: Located[] = []
  for (const role of ['clusterCidr', 'serviceCidr', 'machineCidr'] as const) {
    (input[role] ?? []).forEach((text, index) => {
      const field = `${base}.${role}[${index}]`
      const cidrErrors = validateCidr(text, field)
      errors.push(...cidrErrors)
      const cidr = parseCidr(text)
      if (cidrErrors.length === 0 && cidr !== null) entries.push({ role, index, cidr, text })
    })
  }
  for (const role of ['clusterCidr', 'serviceCidr', 'machineCidr'] as const) errors.push(...familyErrors(entries, role, base))
  for (const e of entries) errors.push(...prefixErrors(e, base))

  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const a = entries[i]
      const b = entries[j]
      if (cidrsOverlap(a.cidr, b.cidr)) {
        errors.push({
          field: `${base}.${b.role}[${b.index}]`,
          message: `${b.text} overlaps ${a.role}[${a.index}] ${a.text}`,
          constraint: 'overlap'
        })
      }
    }
  }

  if ((input.networkType ?? 'OVNKubernetes') === 'OVNKubernetes') {
    for (const e of entries) {
      if (cidrsOverlap(e.cidr, OVN_INTERNAL_SUBNET_V4)) {
        errors.push({
          field: `${base}.${e.role}[${e.index}]`,
          message: `${e.text} overlaps ${OVN_INTERNAL_SUBNET_V4}, the OVN-Kubernetes internal subnet reserved by hosted control planes`,
          constraint: 'reserved'
        })
      }
    }
  }

  const clusterFamilies = new Set(entries.filter(e => e.role === 'clusterCidr').map(e => e.cidr.family))
  const serviceFamilies = new Set(entries.filter(e => e.role === 'serviceCidr').map(e => e.cidr.family))
  if (clusterFamilies.size > 0 && serviceFamilies.size > 0 &&
      [...clusterFamilies].sort().join() !== [...serviceFamilies].sort().join()) {
    errors.push({
      field: `${base}.serviceCidr`,
      message: 'cluster and service networks must use the same IP families (both single-stack or both dual-stack)',
      constraint: 'family'
    })
  }
  return errors
}
