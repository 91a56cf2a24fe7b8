import { createHash, randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../../../shared/config.ts'
import { GatewayError, isGatewayError, type ErrorCode, type FieldError } from '../../../../shared/errors.ts'

export interface IdempotencyOptions {
  config: Pick<Config, 'QUEUE_PREFIX' | 'IDEMPOTENCY_TTL_SECONDS' | 'IDEMPOTENCY_LOCK_MS'>
}

declare module 'fastify' {
  interface FastifyContextConfig {
    // Honour an Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header).
    idempotent?: boolean
  }
  interface FastifyRequest {
    idempotency: { redisKey: string, fingerprint: string, marker: string } | null
  }
  interface FastifyInstance {
    // The same semantics for transports without the header (GraphQL's idempotencyKey argument).
    idempotency: { run: RunIdempotent }
  }
}

// scope: who and which operation (the key is only unique within it); fingerprint: the request's content.
export type RunIdempotent = <T>(scope: string[], key: string, fingerprint: string, fn: () => Promise<T>) => Promise<{ value: T, replayed: boolean }>

interface InFlight { state: 'in-flight', fingerprint: string, token: string }
interface Completed { state: 'completed', fingerprint: string, status: number, headers: Record<string, string>, body: string }
type StoredRecord = InFlight | Completed

// The answer headers a replay must repeat; the rest (dates, request ids, rate limits) describe the new exchange.
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'content-location', 'last-modified']
const HEADER_NAME = 'idempotency-key'
// The draft defines the value as a structured-field string ("..."); a bare token is accepted too.
const KEY_VALUE = /^[\x20-\x7E]{1,255}$/

// Replaces the record only while it still holds this request's in-flight marker, so a request whose
// marker expired cannot overwrite the answer of the retry that took over.
const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return 1`

export function parseIdempotencyKey (header: string | string[] | undefined): string | null {
  if (header === undefined) return null
  const raw = Array.isArray(header) ? null : header.trim()
  const value = raw !== null && raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw
  if (value === null || value === '' || !KEY_VALUE.test(value) || value.includes('"')) {
    throw new GatewayError('GW_ERR_BAD_REQUEST', 'Idempotency-Key must be one header of 1 to 255 printable ASCII characters', {
      errors: [{ field: 'header.idempotency-key', message: 'must be 1 to 255 printable ASCII characters', constraint: 'pattern' }]
    })
  }
  return value
}

// Object keys sorted at every level, so the same JSON with another key order has the same fingerprint.
export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export function requestFingerprint (request: Pick<FastifyRequest, 'body' | 'params' | 'query'>): string {
  const canonical = canonicalJson({ body: request.body ?? null, params: request.params ?? {}, query: request.query ?? {} })
  return createHash('sha256').update(canonical).digest('hex')
}

function payloadText (payload: unknown): string | null {
  if (typeof payload === 'string') return payload
  if (Buffer.isBuffer(payload)) return payload.toString('utf8')
  if (payload === null || payload === undefined) return ''
  return null
}

export default fp<IdempotencyOptions>(async function idempotency (fastify, opts) {
  const prefix = `${opts.config.QUEUE_PREFIX}:idem:`
  const ttlSeconds = opts.config.IDEMPOTENCY_TTL_SECONDS
  const lockMs = opts.config.IDEMPOTENCY_LOCK_MS
  fastify.decorateRequest('idempotency', null)

  function redisKeyOf (scope: string[], key: string): string {
    // Hashed so any key text makes a safe Redis key.
    return prefix + createHash('sha256').update([...scope, key].join('\n')).digest('hex')
  }

  function redisKeyFor (request: FastifyRequest, key: string): string {
    // Scope: the caller, the method and the route pattern.
    return redisKeyOf([request.principal?.name ?? '', request.method, request.routeOptions.url ?? ''], key)
  }

  // Without the store a retry could run twice, so the request is refused rather than run unprotected.
  async function store<T> (op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (err) {
      throw new GatewayError('GW_ERR_UNAVAILABLE', 'the Idempotency-Key store (Redis) is not available; retry later', { cause: err })
    }
  }

  // Takes the key for this request, or hands back the answer recorded for it.
  async function acquire (redisKey: string, key: string, fingerprint: string): Promise<{ marker: string } | { replay: Completed }> {
    const token = randomUUID()
    const marker = JSON.stringify({ state: 'in-flight', fingerprint, token } satisfies InFlight)
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await store(() => fastify.redis.set(redisKey, marker, 'PX', lockMs, 'NX')) === 'OK') return { marker }
      const stored = await store(() => fastify.redis.get(redisKey))
      // The record expired between SET NX and GET: try to take the key once more.
      if (stored === null) continue
      const record = JSON.parse(stored) as StoredRecord
      if (record.fingerprint !== fingerprint) {
        throw new GatewayError('GW_ERR_UNPROCESSABLE', 'this Idempotency-Key was already used with a different request', {
          extensions: { idempotencyKey: key }
        })
      }
      if (record.state === 'in-flight') {
        throw new GatewayError('GW_ERR_CONFLICT', 'a request with this Idempotency-Key is still being processed; retry later', {
          extensions: { idempotencyKey: key, retryAfter: 1 }
        })
      }
      return { replay: record }
    }
    throw new GatewayError('GW_ERR_CONFLICT', 'the Idempotency-Key changed state while it was being checked; retry')
  }

  // Records the answer (or, with null, releases the key so a retry can proceed).
  async function complete (redisKey: string, marker: string, record: Completed | null): Promise<void> {
    await fastify.redis.eval(COMPARE_AND_SET, 1, redisKey, marker, record === null ? '' : JSON.stringify(record), ttlSeconds)
  }

  async function replay (reply: FastifyReply, record: Completed): Promise<FastifyReply> {
    reply.code(record.status).headers(record.headers).header('idempotency-replayed', 'true')
    return reply.send(record.body)
  }

  // A value is recorded as a 200 and a refusal (a 4xx GatewayError) as its status and problem, so a
  // replay answers the same; anything else releases the key, as a 5xx does over REST.
  const run: RunIdempotent = async (scope, rawKey, fingerprint, fn) => {
    const key = parseIdempotencyKey(rawKey)!
    const redisKey = redisKeyOf(scope, key)
    const taken = await acquire(redisKey, key, fingerprint)
    if ('replay' in taken) {
      const body = JSON.parse(taken.replay.body) as { value?: unknown, error?: { code: ErrorCode, message: string, errors?: FieldError[], extensions?: Record<string, unknown> } }
      if (body.error) throw new GatewayError(body.error.code, body.error.message, { errors: body.error.errors, extensions: body.error.extensions })
      return { value: body.value as Awaited<ReturnType<typeof fn>>, replayed: true }
    }
    const record = (status: number, body: object): Completed => ({ state: 'completed', fingerprint, status, headers: {}, body: JSON.stringify(body) })
    let outcome: Completed | null = null
    try {
      const value = await fn()
      outcome = record(200, { value })
      return { value, replayed: false }
    } catch (err) {
      if (isGatewayError(err) && err.status < 500) {
        outcome = record(err.status, { error: { code: err.code, message: err.message, errors: err.errors, extensions: err.extensions } })
      }
      throw err
    } finally {
      await complete(redisKey, taken.marker, outcome).catch(err => fastify.log.warn({ err }, 'could not record the idempotency key outcome'))
    }
  }
  fastify.decorate('idempotency', { run })

  // preHandler: after authentication and validation, so a rejected request does not consume the key.
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.idempotent !== true) return
    const key = parseIdempotencyKey(request.headers[HEADER_NAME])
    if (key === null) return
    const redisKey = redisKeyFor(request, key)
    const fingerprint = requestFingerprint(request)
    let taken
    try {
      taken = await acquire(redisKey, key, fingerprint)
    } catch (err) {
      if (isGatewayError(err) && err.extensions?.retryAfter !== undefined) {
        reply.header('retry-after', String(err.extensions.retryAfter))
        throw new GatewayError(err.code, err.message, { extensions: { idempotencyKey: key } })
      }
      throw err
    }
    if ('replay' in taken) return replay(reply, taken.replay)
    request.idempotency = { redisKey, fingerprint, marker: taken.marker }
  })

  fastify.addHook('onSend', async (request, reply, payload) => {
    const held = request.idempotency
    if (!held) return payload
    request.idempotency = null
    const body = payloadText(payload)
    // A 5xx (or an answer we cannot capture, such as a stream) releases the key so a retry can proceed;
    // any other answer is kept, so retrying the same request gets the same answer.
    let next: Completed | null = null
    if (reply.statusCode < 500 && body !== null) {
      const headers: Record<string, string> = {}
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name)
        if (value !== undefined) headers[name] = String(value)
      }
      next = { state: 'completed', fingerprint: held.fingerprint, status: reply.statusCode, headers, body }
    }
    try {
      await complete(held.redisKey, held.marker, next)
    } catch (err) {
      // The answer itself stands; a retry then sees the in-flight marker until it expires.
      request.log.warn({ err }, 'could not record the Idempotency-Key outcome')
    }
    return payload
  })
}, { name: 'idempotency', dependencies: ['redis', 'auth'] })
