import type { Redis } from 'ioredis'
import { GatewayError } from '../errors.ts'
import { kindOfJobId } from './keys.ts'
import type { JobKind } from './kinds.ts'
import type { JobRecord, JobState, JobTarget } from './schema.ts'

export interface JobListQuery {
  kind?: JobKind
  state?: JobState
  target?: Partial<JobTarget>
  // The namespaces the caller may see; null or absent = all (jobs without a namespace only then).
  namespaces?: string[] | null
  since?: Date
  until?: Date
  limit: number
  continue?: string
}

export interface JobList {
  items: JobRecord[]
  continue?: string
}

interface Cursor { s: number, id: string }

// A page that filters out most jobs still answers promptly: it stops after this many index entries
// and hands back a cursor (a short page with a continue token, as Kubernetes lists do).
const MAX_SCANNED = 2000

function encodeCursor (c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}

function decodeCursor (token: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor
    if (typeof c.s === 'number' && typeof c.id === 'string') return c
  } catch {}
  throw new GatewayError('GW_ERR_BAD_REQUEST', 'continue is not a token this API issued')
}

function keep (q: JobListQuery, r: JobRecord): boolean {
  if (q.state && r.state !== q.state) return false
  const t = q.target
  if (t?.type && r.target.type !== t.type) return false
  if (t?.name && r.target.name !== t.name) return false
  if (t?.namespace && r.target.namespace !== t.namespace) return false
  if (q.namespaces && !(r.target.namespace !== undefined && q.namespaces.includes(r.target.namespace))) return false
  return true
}

// Newest first over the creation-time index. The cursor is the (score, id) of the last entry
// returned; entries with the same score come in reverse id order, so the next page resumes exactly.
export async function listJobs (redis: Redis, indexKey: string, load: (id: string) => Promise<JobRecord | undefined>, q: JobListQuery): Promise<JobList> {
  const cursor = q.continue ? decodeCursor(q.continue) : undefined
  const min = q.since ? q.since.getTime() : '-inf'
  let max: number | string = q.until ? q.until.getTime() : '+inf'
  if (cursor && (max === '+inf' || cursor.s < (max as number))) max = cursor.s
  const items: JobRecord[] = []
  const batch = Math.max(q.limit * 2, 50)
  let offset = 0
  let scanned = 0
  let last: Cursor | undefined
  while (scanned < MAX_SCANNED) {
    const raw = await redis.zrevrangebyscore(indexKey, max, min, 'WITHSCORES', 'LIMIT', offset, batch)
    if (raw.length === 0) return { items }
    offset += raw.length / 2
    const entries: Cursor[] = []
    for (let i = 0; i < raw.length; i += 2) entries.push({ id: raw[i], s: Number(raw[i + 1]) })
    const fresh = entries.filter(e => !cursor || e.s < cursor.s || e.id < cursor.id)
    const wanted = fresh.filter(e => !q.kind || kindOfJobId(e.id) === q.kind)
    const records = await Promise.all(wanted.map(e => load(e.id)))
    const gone = wanted.filter((_, i) => !records[i]).map(e => e.id)
    // Jobs BullMQ removed when their history expired leave the index lazily.
    if (gone.length > 0) {
      await redis.zrem(indexKey, ...gone)
      offset -= gone.length
    }
    const byId = new Map(wanted.map((e, i) => [e.id, records[i]]))
    for (const e of fresh) {
      scanned++
      last = e
      const r = byId.get(e.id)
      if (r && keep(q, r)) {
        items.push(r)
        if (items.length === q.limit) return { items, continue: encodeCursor(e) }
      }
    }
    if (raw.length / 2 < batch) return { items }
  }
  return { items, ...(last ? { continue: encodeCursor(last) } : {}) }
}
