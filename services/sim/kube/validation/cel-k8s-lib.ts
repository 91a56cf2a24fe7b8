import { isIP } from 'node:net'
import { Optional, type Environment } from '@marcbachmann/cel-js'
import { goRegExp, hasSpaceOrControl } from './regex.ts'

// The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) that cel-js lacks: regex find,
// extra string and list functions, URLs, IPs/CIDRs, quantities and the format library.

export class KubeURL {
  readonly url: URL
  readonly raw: string
  constructor (raw: string, url: URL) { this.raw = raw; this.url = url }
}

export class KubeIP {
  readonly bytes: number[]
  readonly family: 4 | 6
  constructor (bytes: number[], family: 4 | 6) { this.bytes = bytes; this.family = family }
}

export class KubeCIDR {
  readonly ip: KubeIP
  readonly prefix: number
  constructor (ip: KubeIP, prefix: number) { this.ip = ip; this.prefix = prefix }
}

export class KubeQuantity {
  readonly value: number
  constructor (value: number) { this.value = value }
}

export class KubeFormat {
  readonly check: (s: string) => string[]
  constructor (check: (s: string) => string[]) { this.check = check }
}

export class FormatLibrary {}

function fail (message: string): never {
  throw new Error(message)
}

// url() accepts what Go's url.ParseRequestURI accepts: absolute URIs and absolute paths.
function parseURL (s: string): KubeURL | undefined {
  if (s === '' || hasSpaceOrControl(s)) return undefined
  try {
    if (s.startsWith('/')) return new KubeURL(s, new URL(s, 'http://placeholder'))
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s)) return undefined
    return new KubeURL(s, new URL(s))
  } catch {
    return undefined
  }
}

function ipv4Bytes (s: string): number[] {
  return s.split('.').map(Number)
}

function ipv6Bytes (s: string): number[] {
  let text = s
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  let tail: number[] = []
  if (v4) {
    const b = ipv4Bytes(v4[1])
    tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]]
    text = text.slice(0, -v4[1].length).replace(/:$/, ':0').replace(/:0$/, '') || ':'
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1)
  }
  const [head, rest] = text.split('::')
  const parse = (part: string | undefined): number[] => part ? part.split(':').filter(x => x !== '').map(x => parseInt(x, 16)) : []
  const h = parse(head)
  const r = [...parse(rest), ...tail]
  const words = rest === undefined ? [...h, ...tail] : [...h, ...new Array(8 - h.length - r.length).fill(0), ...r]
  return words.flatMap(w => [w >> 8, w & 0xff])
}

// Kubernetes ip() rejects zones and IPv4-mapped IPv6 forms, and IPv4 with leading zeros.
function parseIP (s: string): KubeIP | undefined {
  const family = isIP(s)
  if (family === 4) {
    if (s.split('.').some(p => p.length > 1 && p.startsWith('0'))) return undefined
    return new KubeIP(ipv4Bytes(s), 4)
  }
  if (family === 6 && !s.includes('%') && !/\d+\.\d+\.\d+\.\d+$/.test(s)) return new KubeIP(ipv6Bytes(s), 6)
  return undefined
}

function parseCIDR (s: string): KubeCIDR | undefined {
  const slash = s.indexOf('/')
  if (slash < 0) return undefined
  const ip = parseIP(s.slice(0, slash))
  const bits = s.slice(slash + 1)
  if (!ip || !/^\d{1,3}$/.test(bits) || (bits.length > 1 && bits.startsWith('0'))) return undefined
  const prefix = Number(bits)
  if (prefix > (ip.family === 4 ? 32 : 128)) return undefined
  return new KubeCIDR(ip, prefix)
}

function ipString (ip: KubeIP): string {
  if (ip.family === 4) return ip.bytes.join('.')
  const words: number[] = []
  for (let i = 0; i < 16; i += 2) words.push((ip.bytes[i] << 8) | ip.bytes[i + 1])
  let best = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i }
    i = j
  }
  const hex = words.map(w => w.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

function masked (c: KubeCIDR): KubeIP {
  const bytes = c.ip.bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, c.prefix - i * 8))
    return b & (0xff << (8 - bits)) & 0xff
  })
  return new KubeIP(bytes, c.ip.family)
}

function cidrContainsIP (c: KubeCIDR, ip: KubeIP): boolean {
  if (ip.family !== c.ip.family) return false
  return masked(new KubeCIDR(ip, c.prefix)).bytes.every((b, i) => b === masked(c).bytes[i])
}

const quantityRe = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/
const suffixes: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18
}

function parseQuantity (s: string): KubeQuantity | undefined {
  const m = quantityRe.exec(s)
  if (!m) return undefined
  const suffix = m[2] ?? ''
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : suffixes[suffix]
  return new KubeQuantity(Number(m[1]) * factor)
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const formats: Record<string, (s: string) => string[]> = {
  dns1123Label: s => s.length > 63 ? ['must be no more than 63 characters'] : dns1123Label.test(s) ? [] : ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"],
  dns1123Subdomain: s => s.length > 253 ? ['must be no more than 253 characters'] : dns1123Subdomain.test(s) ? [] : ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"],
  dns1035Label: s => s.length > 63 ? ['must be no more than 63 characters'] : /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s) ? [] : ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"],
  qualifiedName: s => /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(s) ? [] : ["name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"],
  labelValue: s => s.length > 63 ? ['must be no more than 63 characters'] : /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(s) ? [] : ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"],
  uri: s => parseURL(s) ? [] : ['must be a valid URI'],
  uuid: s => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s) ? [] : ['must be a lowercase UUID in 8-4-4-4-12 format'],
  byte: s => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['must be a valid base64 string'],
  date: s => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['must be a valid date in RFC3339 full-date format'],
  datetime: s => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['must be a valid date-time in RFC3339 format']
}

function compareValues (a: unknown, b: unknown): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  const x = Number(a)
  const y = Number(b)
  return x < y ? -1 : x > y ? 1 : 0
}

function registerStringsAndLists (env: Environment): void {
  env
    .registerFunction('string.find(string): string', (s: string, re: string) => goRegExp(re).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, re: string) => [...s.matchAll(new RegExp(goRegExp(re).source, goRegExp(re).flags + 'g'))].map(m => m[0]))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) => {
      const all = [...s.matchAll(new RegExp(goRegExp(re).source, goRegExp(re).flags + 'g'))].map(m => m[0])
      return n < 0n ? all : all.slice(0, Number(n))
    })
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b))
    .registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
      if (n < 0n) return s.split(a).join(b)
      let out = s
      let from = 0
      for (let i = 0n; i < n; i++) {
        const at = out.indexOf(a, from)
        if (at < 0) break
        out = out.slice(0, at) + b + out.slice(at + a.length)
        from = at + b.length
      }
      return out
    })
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => [...s][Number(i)] ?? '')
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('list.isSorted(): bool', (l: unknown[]) => l.every((v, i) => i === 0 || compareValues(l[i - 1], v) <= 0))
    .registerFunction('list.sum(): dyn', (l: unknown[]) => l.length === 0 ? 0n : l.reduce((a, b) => typeof a === 'bigint' && typeof b === 'bigint' ? a + b : Number(a) + Number(b)))
    .registerFunction('list.min(): dyn', (l: unknown[]) => l.length === 0 ? fail('min called on empty list') : l.reduce((a, b) => compareValues(a, b) <= 0 ? a : b))
    .registerFunction('list.max(): dyn', (l: unknown[]) => l.length === 0 ? fail('max called on empty list') : l.reduce((a, b) => compareValues(a, b) >= 0 ? a : b))
}

function registerNetworking (env: Environment): void {
  env
    .registerType('kubernetes.URL', KubeURL)
    .registerType('net.IP', KubeIP)
    .registerType('net.CIDR', KubeCIDR)
    .registerFunction('isURL(string): bool', (s: string) => parseURL(s) !== undefined)
    .registerFunction('url(string): kubernetes.URL', (s: string) => parseURL(s) ?? fail(`URL parse error during conversion from string: ${s}`))
    .registerFunction('kubernetes.URL.getScheme(): string', (u: KubeURL) => u.raw.startsWith('/') ? '' : u.url.protocol.slice(0, -1))
    .registerFunction('kubernetes.URL.getHost(): string', (u: KubeURL) => u.raw.startsWith('/') ? '' : u.url.host)
    .registerFunction('kubernetes.URL.getHostname(): string', (u: KubeURL) => u.raw.startsWith('/') ? '' : u.url.hostname.replace(/^\[(.*)\]$/, '$1'))
    .registerFunction('kubernetes.URL.getPort(): string', (u: KubeURL) => u.raw.startsWith('/') ? '' : u.url.port)
    .registerFunction('kubernetes.URL.getEscapedPath(): string', (u: KubeURL) => u.url.pathname === '/' && !/^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i.test(u.raw) && !u.raw.startsWith('/') ? '' : u.url.pathname)
    .registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: KubeURL) => {
      const out: Record<string, string[]> = {}
      for (const [k, v] of u.url.searchParams) (out[k] ??= []).push(v)
      return out
    })
    .registerFunction('isIP(string): bool', (s: string) => parseIP(s) !== undefined)
    .registerFunction('ip(string): net.IP', (s: string) => parseIP(s) ?? fail(`IP Address ${JSON.stringify(s)} parse error during conversion from string`))
    .registerFunction('string(net.IP): string', (ip: KubeIP) => ipString(ip))
    .registerFunction('net.IP.family(): int', (ip: KubeIP) => BigInt(ip.family))
    .registerFunction('net.IP.isUnspecified(): bool', (ip: KubeIP) => ip.bytes.every(b => b === 0))
    .registerFunction('net.IP.isLoopback(): bool', (ip: KubeIP) => ip.family === 4 ? ip.bytes[0] === 127 : ip.bytes.slice(0, 15).every(b => b === 0) && ip.bytes[15] === 1)
    .registerFunction('net.IP.isLinkLocalMulticast(): bool', (ip: KubeIP) => ip.family === 4 ? ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0 : ip.bytes[0] === 0xff && (ip.bytes[1] & 0x0f) === 0x02)
    .registerFunction('net.IP.isLinkLocalUnicast(): bool', (ip: KubeIP) => ip.family === 4 ? ip.bytes[0] === 169 && ip.bytes[1] === 254 : ip.bytes[0] === 0xfe && (ip.bytes[1] & 0xc0) === 0x80)
    .registerFunction('net.IP.isGlobalUnicast(): bool', (ip: KubeIP) => {
      if (ip.family === 4) return !(ip.bytes[0] === 127 || ip.bytes[0] >= 224 || ip.bytes.every(b => b === 0) || (ip.bytes[0] === 169 && ip.bytes[1] === 254))
      return !(ip.bytes[0] === 0xff || ip.bytes.every(b => b === 0) || (ip.bytes[0] === 0xfe && (ip.bytes[1] & 0xc0) === 0x80) || (ip.bytes.slice(0, 15).every(b => b === 0) && ip.bytes[15] === 1))
    })
    .registerFunction('isCIDR(string): bool', (s: string) => parseCIDR(s) !== undefined)
    .registerFunction('cidr(string): net.CIDR', (s: string) => parseCIDR(s) ?? fail(`network address parse error during conversion from string: ${s}`))
    .registerFunction('string(net.CIDR): string', (c: KubeCIDR) => `${ipString(c.ip)}/${c.prefix}`)
    .registerFunction('net.CIDR.ip(): net.IP', (c: KubeCIDR) => c.ip)
    .registerFunction('net.CIDR.masked(): net.CIDR', (c: KubeCIDR) => new KubeCIDR(masked(c), c.prefix))
    .registerFunction('net.CIDR.prefixLength(): int', (c: KubeCIDR) => BigInt(c.prefix))
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: KubeCIDR, ip: KubeIP) => cidrContainsIP(c, ip))
    .registerFunction('net.CIDR.containsIP(string): bool', (c: KubeCIDR, s: string) => cidrContainsIP(c, parseIP(s) ?? fail(`IP Address ${JSON.stringify(s)} parse error during conversion from string`)))
    .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: KubeCIDR, o: KubeCIDR) => o.prefix >= c.prefix && cidrContainsIP(c, o.ip))
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: KubeCIDR, s: string) => {
      const o = parseCIDR(s) ?? fail(`network address parse error during conversion from string: ${s}`)
      return o.prefix >= c.prefix && cidrContainsIP(c, o.ip)
    })
}

function registerQuantityAndFormat (env: Environment): void {
  env
    .registerType('kubernetes.Quantity', KubeQuantity)
    .registerFunction('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined)
    .registerFunction('quantity(string): kubernetes.Quantity', (s: string) => parseQuantity(s) ?? fail('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\''))
    .registerFunction('kubernetes.Quantity.isInteger(): bool', (q: KubeQuantity) => Number.isInteger(q.value))
    .registerFunction('kubernetes.Quantity.asInteger(): int', (q: KubeQuantity) => Number.isInteger(q.value) ? BigInt(q.value) : fail('cannot convert value to integer'))
    .registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (q: KubeQuantity) => q.value)
    .registerFunction('kubernetes.Quantity.sign(): int', (q: KubeQuantity) => BigInt(Math.sign(q.value)))
    .registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: KubeQuantity, b: KubeQuantity) => a.value > b.value)
    .registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: KubeQuantity, b: KubeQuantity) => a.value < b.value)
    .registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: KubeQuantity, b: KubeQuantity) => BigInt(Math.sign(a.value - b.value)))
    .registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: KubeQuantity, b: KubeQuantity) => new KubeQuantity(a.value + b.value))
    .registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: KubeQuantity, b: bigint) => new KubeQuantity(a.value + Number(b)))
    .registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: KubeQuantity, b: KubeQuantity) => new KubeQuantity(a.value - b.value))
    .registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: KubeQuantity, b: bigint) => new KubeQuantity(a.value - Number(b)))
    .registerType('kubernetes.NamedFormat', KubeFormat)
    .registerType('kubernetes.FormatLibrary', FormatLibrary)
    .registerConstant('format', 'kubernetes.FormatLibrary', new FormatLibrary())
    .registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', (f: KubeFormat, s: string) => {
      const errs = f.check(s)
      return errs.length > 0 ? Optional.of(errs) : Optional.none()
    })
  for (const [name, check] of Object.entries(formats)) {
    env.registerFunction(`kubernetes.FormatLibrary.${name}(): kubernetes.NamedFormat`, () => new KubeFormat(check))
  }
}

export function registerKubernetesLibraries (env: Environment): Environment {
  registerStringsAndLists(env)
  registerNetworking(env)
  registerQuantityAndFormat(env)
  return env
}
