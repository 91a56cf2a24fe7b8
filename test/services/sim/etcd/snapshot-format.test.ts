import t from 'tap'
import { Readable } from 'node:stream'
import {
  HEADER_SIZE, decodeHeader, encodeHeader, snapshotHash, snapshotSha256, snapshotStream, verifySnapshotStream
} from '../../../../services/sim/etcd/snapshot-format.ts'
import type { SnapshotDesc } from '../../../../services/sim/etcd/snapshot-format.ts'
import { bump, newDatabase, parseSize, restoreInto, snapshotOf } from '../../../../services/sim/etcd/database.ts'

const desc: SnapshotDesc = { seed: Buffer.alloc(16, 7), size: 300_000, revision: 42, clusterId: 123456789, totalKey: 195, hashed: true }

async function bytesOf (d: SnapshotDesc): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of snapshotStream(d)) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

t.test('the header describes the content', async (t) => {
  const h = encodeHeader(desc)
  t.equal(h.length, HEADER_SIZE)
  t.equal(h.toString('latin1', 0, 8), 'HCPSIMDB')
  t.same(decodeHeader(h), { ok: true, desc })
  const bad = Buffer.from(h)
  bad[20] ^= 1
  t.same(decodeHeader(bad), { ok: false, reason: 'snapshot header checksum mismatch' })
  t.match(decodeHeader(Buffer.alloc(64)), { ok: false, reason: /bad magic/ })
})

t.test('content is deterministic, sized, and verifiable byte for byte', async (t) => {
  const a = await bytesOf(desc)
  t.equal(a.length, desc.size)
  t.ok(a.equals(await bytesOf(desc)), 'same descriptor, same bytes')
  t.notOk(a.equals(await bytesOf({ ...desc, seed: Buffer.alloc(16, 8) })), 'another seed, other bytes')
  t.same(await verifySnapshotStream(Readable.from([a.subarray(0, 10), a.subarray(10)])), { ok: true, desc })
  t.match(await verifySnapshotStream(Readable.from([a.subarray(0, a.length - 1)])), { ok: false, reason: /truncated/ })
  const corrupt = Buffer.from(a)
  corrupt[200_000] ^= 0xff
  t.match(await verifySnapshotStream(Readable.from([corrupt])), { ok: false, reason: /corrupted near byte/ })
  t.match(await verifySnapshotStream(Readable.from([Buffer.from('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>')])), { ok: false })
  t.equal(await snapshotSha256(desc), (await import('node:crypto')).createHash('sha256').update(a).digest('hex'))
  t.not(snapshotHash(desc), snapshotHash({ ...desc, revision: 43 }))
})

t.test('a database moves with writes and returns to a snapshot on restore', async (t) => {
  t.equal(parseSize('64Mi'), 64 * 1024 * 1024)
  t.equal(parseSize('1Gi'), 1024 ** 3)
  t.equal(parseSize('500k'), 500_000)
  t.equal(parseSize('lots'), null)
  const db = newDatabase('uid-1', 1024 * 1024, false)
  const before = snapshotOf(db, true)
  bump(db, null)
  t.equal(db.revision, before.revision + 1)
  t.notSame(snapshotOf(db, true).seed, before.seed)
  restoreInto(db, before)
  t.same(snapshotOf(db, true), before)
  t.equal(newDatabase('uid-2', 1024, true).revision, 1, 'a cluster waiting for a restore starts empty')
})
