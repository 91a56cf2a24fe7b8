import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { Webhook } from 'standardwebhooks'
import type { CheckedTarget } from './target.ts'

export const RESPONSE_PREFIX_BYTES = 1024

export interface SendResult {
  statusCode?: number
  latencyMs: number
  // first KiB of the answer, as text
  responseBody?: string
  error?: string
  ok: boolean
}

export interface SignedMessage {
  id: string
  body: string
  secret: string
  at?: Date
}

// Standard Webhooks headers; the timestamp is the attempt's, so a retry a day later still verifies.
export function signedHeaders (msg: SignedMessage): Record<string, string> {
  const at = msg.at ?? new Date()
  return {
    'webhook-id': msg.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(msg.secret).sign(msg.id, at, msg.body)
  }
}

// Every lookup the socket makes answers with the address the SSRF check approved.
function pinnedLookup (target: CheckedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (err: null, addresses: Array<{ address: string, family: number }>) => void)(null, [{ address: target.address, family: target.family }])
    } else {
      callback(null, target.address, target.family)
    }
  }
}

async function readPrefix (res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of res) {
    const buf = chunk as Buffer
    chunks.push(buf)
    size += buf.length
    if (size >= RESPONSE_PREFIX_BYTES) break
  }
  // Breaking out of the loop destroys the stream: a large answer is never read in full.
  return Buffer.concat(chunks).subarray(0, RESPONSE_PREFIX_BYTES).toString('utf8')
}

// One POST to a checked target: no redirects (a 3xx is a failed attempt), no connection reuse, one bound
// on the whole exchange. Only a 2xx counts as delivered, as the Standard Webhooks spec says.
export function send (target: CheckedTarget, msg: SignedMessage, timeoutMs: number, signal?: AbortSignal): Promise<SendResult> {
  const started = performance.now()
  const latency = () => Math.round(performance.now() - started)
  const bounded = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs)
  const options: RequestOptions = {
    method: 'POST',
    hostname: target.host,
    port: target.url.port || undefined,
    path: `${target.url.pathname}${target.url.search}`,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'hcp-gateway-webhooks/1',
      'content-length': Buffer.byteLength(msg.body),
      ...signedHeaders(msg)
    },
    lookup: pinnedLookup(target),
    agent: false,
    signal: bounded
  }
  const requester = target.url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<SendResult>(resolve => {
    const fail = (err: Error) => {
      const why = bounded.aborted && !signal?.aborted ? `no answer within ${timeoutMs} ms` : err.message
      resolve({ ok: false, latencyMs: latency(), error: why })
    }
    const req = requester(options, res => {
      const statusCode = res.statusCode ?? 0
      // The status decides; a body cut short (timeout, reset) only loses the prefix.
      readPrefix(res).catch(() => undefined).then(responseBody => {
        const ok = statusCode >= 200 && statusCode < 300
        const error = ok
          ? undefined
          : statusCode >= 300 && statusCode < 400 ? `redirect to ${res.headers.location ?? '?'} not followed` : `answered ${statusCode}`
        resolve({ ok, statusCode, latencyMs: latency(), ...(responseBody ? { responseBody } : {}), ...(error ? { error } : {}) })
      })
    })
    req.on('error', fail)
    req.end(msg.body)
  })
}
