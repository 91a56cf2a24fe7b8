// curl inside the etcd container: the restore init script downloads the snapshot with it, and a backup
// can upload a file to a presigned PUT URL with -T. A download that is a twin snapshot is kept as a
// snapshot descriptor (verified byte for byte); anything else (an S3 XML error) as bytes, bounded.
import { MAX_BLOB, entrySize, entryStream } from './pod-files.ts'
import type { PodRef } from './pod-files.ts'
import { pipeOut } from './process.ts'
import type { ProcessIO } from './process.ts'
import type { EtcdCluster } from './registry.ts'
import { createSnapshotVerifier } from './snapshot-format.ts'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadable } from 'node:stream/web'

interface CurlArgs { url?: string, output?: string, upload?: string, method?: string, fail: boolean, showError: boolean, silent: boolean }

const VALUE_OPTS: Record<string, keyof CurlArgs> = { '-o': 'output', '--output': 'output', '-T': 'upload', '--upload-file': 'upload', '-X': 'method', '--request': 'method' }
const IGNORED_VALUE_OPTS = new Set(['--retry', '--retry-delay', '--max-time', '-m', '--connect-timeout', '-H', '--header'])

function parse (argv: string[]): CurlArgs | string {
  const a: CurlArgs = { fail: false, showError: false, silent: false }
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]
    if (VALUE_OPTS[x] !== undefined) {
      (a as unknown as Record<string, string>)[VALUE_OPTS[x]] = argv[++i]
    } else if (IGNORED_VALUE_OPTS.has(x)) {
      i++
    } else if (x === '--fail') a.fail = true
    else if (x === '--silent') a.silent = true
    else if (x === '--show-error') a.showError = true
    else if (x === '--location' || x === '--insecure') continue
    else if (/^-[a-zA-Z]+$/.test(x)) {
      for (const c of x.slice(1)) {
        if (c === 'f') a.fail = true
        else if (c === 's') a.silent = true
        else if (c === 'S') a.showError = true
        else if (c !== 'L' && c !== 'k') return `curl: option ${x}: is unknown`
      }
    } else if (x.startsWith('-')) return `curl: option ${x}: is unknown`
    else a.url = x
  }
  return a
}

// The twin's S3 (s3rver) speaks plain HTTP on loopback, while HostedCluster validation only admits
// https:// and s3:// URLs; a presigned URL does not sign its scheme, so loopback https is fetched as http.
export function twinUrl (raw: string): URL {
  const u = new URL(raw)
  if (u.protocol === 'https:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) u.protocol = 'http:'
  return u
}

async function say (io: ProcessIO, a: CurlArgs, text: string): Promise<void> {
  if (!a.silent || a.showError) await io.stderr(text + '\n')
}

export async function curl (argv: string[], io: ProcessIO, cluster: EtcdCluster, pod: PodRef): Promise<number> {
  const a = parse(argv)
  if (typeof a === 'string') {
    await io.stderr(`${a}\ncurl: try 'curl --help' for more information\n`)
    return 2
  }
  if (a.url === undefined) {
    await io.stderr("curl: no URL specified\ncurl: try 'curl --help' for more information\n")
    return 2
  }
  let url: URL
  try {
    url = twinUrl(a.url)
  } catch {
    await say(io, a, 'curl: (3) URL rejected: Malformed input to a URL function')
    return 3
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    await say(io, a, `curl: (1) Protocol "${url.protocol.replace(':', '')}" not supported`)
    return 1
  }
  let init: RequestInit & { duplex?: 'half' } = { signal: io.signal, method: a.method ?? 'GET' }
  if (a.upload !== undefined) {
    const e = cluster.files.get(pod, a.upload)
    if (e === undefined) {
      await say(io, a, 'curl: (26) Failed to open/read local data from file/application')
      return 26
    }
    init = { ...init, method: a.method ?? 'PUT', body: Readable.toWeb(entryStream(e)) as unknown as RequestInit['body'], duplex: 'half', headers: { 'content-length': String(entrySize(e)) } }
  }
  let res: Response
  try {
    res = await fetch(url, init)
  } catch (err) {
    if (io.signal.aborted) return 1
    const code = (err as { cause?: { code?: string } }).cause?.code
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') await say(io, a, `curl: (6) Could not resolve host: ${url.hostname}`)
    else await say(io, a, `curl: (7) Failed to connect to ${url.hostname} port ${url.port || (url.protocol === 'https:' ? 443 : 80)} after 0 ms: Couldn't connect to server`)
    return code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 6 : 7
  }
  if (a.fail && res.status >= 400) {
    await res.body?.cancel()
    await say(io, a, `curl: (22) The requested URL returned error: ${res.status}`)
    return 22
  }
  if (res.body === null) return 0
  if (a.output === undefined) return await pipeOut(Readable.fromWeb(res.body as WebReadable), io) ? 0 : 1
  const verifier = createSnapshotVerifier()
  const kept: Buffer[] = []
  let size = 0
  try {
    for await (const raw of res.body) {
      const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
      verifier.push(chunk)
      size += chunk.length
      if (size <= MAX_BLOB) kept.push(chunk)
    }
  } catch {
    await say(io, a, 'curl: (56) Failure when receiving data from the peer')
    return 56
  }
  const r = verifier.finish()
  if (r.ok) cluster.files.put(pod, a.output, { kind: 'snapshot', desc: r.desc, mtime: new Date() })
  else if (size <= MAX_BLOB) cluster.files.put(pod, a.output, { kind: 'blob', data: Buffer.concat(kept), mtime: new Date() })
  else {
    await say(io, a, 'curl: (23) Failure writing output to destination')
    return 23
  }
  return 0
}
