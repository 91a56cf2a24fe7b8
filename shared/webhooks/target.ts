// SSRF guard for webhook targets. A target is checked when it is registered and again before every
// attempt (DNS answers change), and the request then connects to the very address that was checked,
// so a second DNS answer (rebinding) cannot point it elsewhere.
import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { GatewayError } from '../errors.ts'

export interface AllowList {
  addresses: BlockList
  hosts: Set<string>
  // '*.example.com' entries, kept as '.example.com'
  suffixes: string[]
}

export interface CheckedTarget {
  url: URL
  // the host name without IPv6 brackets
  host: string
  address: string
  family: 4 | 6
}

export type Resolver = (host: string) => Promise<Array<{ address: string, family: number }>>

export interface TargetPolicy {
  allowHttp: boolean
  allowList: AllowList
  resolve?: Resolver
}

// Loopback, link-local (cloud metadata at 169.254.169.254 included), private, shared (CGNAT), reserved,
// multicast and benchmark ranges: nothing a public webhook receiver lives in.
const forbidden = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4]
] as const) forbidden.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [
  ['::', 96], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64]
] as const) forbidden.addSubnet(net, bits, 'ipv6')

const refused = (url: string, why: string) =>
  new GatewayError('GW_ERR_WEBHOOK_TARGET_REFUSED', `webhook target ${url} is not allowed: ${why}`, {
    errors: [{ field: 'body.url', message: why, constraint: 'ssrf' }]
  })

// Eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included).
function hextets (address: string): number[] {
  let text = address.toLowerCase().split('%')[0]
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number)
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0')
  return [...left, ...fill, ...right].map(h => parseInt(h, 16))
}

// IPv4 carried inside IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) is judged as the IPv4 it reaches.
export function embeddedIPv4 (address: string): string | undefined {
  const h = hextets(address)
  const mapped = h.slice(0, 5).every(x => x === 0) && h[5] === 0xffff
  const nat64 = h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every(x => x === 0)
  if (!mapped && !nat64) return undefined
  return [h[6] >> 8, h[6] & 0xff, h[7] >> 8, h[7] & 0xff].join('.')
}

export function isForbiddenAddress (address: string): boolean {
  const family = isIP(address)
  if (family === 4) return forbidden.check(address, 'ipv4')
  if (family !== 6) return true
  const v4 = embeddedIPv4(address)
  return v4 !== undefined ? forbidden.check(v4, 'ipv4') : forbidden.check(address.split('%')[0], 'ipv6')
}

export function parseAllowList (spec: string): AllowList {
  const list: AllowList = { addresses: new BlockList(), hosts: new Set(), suffixes: [] }
  for (const raw of spec.split(',').map(s => s.trim().toLowerCase()).filter(Boolean)) {
    const [net, bits] = raw.split('/')
    const family = isIP(net)
    if (family !== 0) {
      const type = family === 4 ? 'ipv4' : 'ipv6'
      if (bits === undefined) list.addresses.addAddress(net, type)
      else list.addresses.addSubnet(net, Number(bits), type)
    } else if (raw.startsWith('*.')) {
      list.suffixes.push(raw.slice(1))
    } else {
      list.hosts.add(raw)
    }
  }
  return list
}

function allowedAddress (list: AllowList, address: string): boolean {
  const family = isIP(address)
  if (family === 4) return list.addresses.check(address, 'ipv4')
  const v4 = embeddedIPv4(address)
  return (v4 !== undefined && list.addresses.check(v4, 'ipv4')) || list.addresses.check(address.split('%')[0], 'ipv6')
}

function allowedHost (list: AllowList, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  return list.hosts.has(name) || list.suffixes.some(s => name.endsWith(s))
}

const systemResolver: Resolver = host => dnsLookup(host, { all: true, verbatim: true })

// Syntax only (scheme, credentials, host): what can be told without DNS.
export function parseTarget (raw: string, allowHttp: boolean): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refused(raw, 'not an absolute URL')
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw refused(raw, allowHttp ? 'the scheme must be https or http' : 'the scheme must be https')
  }
  if (url.username || url.password) throw refused(raw, 'credentials in the URL are not accepted; authenticate with the signature')
  if (!url.hostname) throw refused(raw, 'no host')
  return url
}

// Resolves the host and refuses it when any address it names is off limits (a mix would let an
// attacker win by chance), unless the allow-list names the host or the address.
export async function checkTarget (raw: string, policy: TargetPolicy, signal?: AbortSignal): Promise<CheckedTarget> {
  const url = parseTarget(raw, policy.allowHttp)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  let answers: Array<{ address: string, family: number }>
  if (isIP(host) !== 0) {
    answers = [{ address: host, family: isIP(host) }]
  } else {
    try {
      const pending = (policy.resolve ?? systemResolver)(host)
      answers = signal ? await abortable(pending, signal) : await pending
    } catch (err) {
      if (signal?.aborted) throw err
      throw refused(raw, `host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
    }
    if (answers.length === 0) throw refused(raw, `host ${host} does not resolve`)
  }
  if (!allowedHost(policy.allowList, host)) {
    const bad = answers.find(a => isForbiddenAddress(a.address) && !allowedAddress(policy.allowList, a.address))
    if (bad) throw refused(raw, `${host === bad.address ? 'the address' : `${host} resolves to`} ${bad.address}, a loopback, link-local or private address`)
  }
  const first = answers[0]
  return { url, host, address: first.address, family: first.family === 6 ? 6 : 4 }
}

function abortable<T> (p: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted()
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
