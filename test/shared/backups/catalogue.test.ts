import t from 'tap'
import { backupId, compactTimestamp, fromConfigMap, objectMetadata, pageNewestFirst, snapshotObjectKey, toConfigMap, type BackupEntry } from '../../../shared/backups/catalogue.ts'

const at = new Date('2026-11-22T00:16:33.123Z')
const entry = (id: string, createdAt: string, extra: Partial<BackupEntry> = {}): BackupEntry => ({
  id, cluster: 'demo', namespace: 'clusters', bucket: 'b', objectKey: `k/${id}`, sha256: 'f'.repeat(64), size: 10, jobId: 'etcd-snapshot.clusters.demo', createdAt, createdBy: 'alice', strategy: 'exec', ...extra
})

t.test('names', async t => {
  t.equal(compactTimestamp(at), '20261122T001633Z')
  t.equal(snapshotObjectKey('clusters', 'demo', at, 42), 'etcd-snapshots/clusters/demo/20261122T001633Z-42.db')
  t.match(backupId('demo', at, n => Buffer.alloc(n, 0xab)), /^demo-20261122t001633z-ababab$/)
})

t.test('a ConfigMap round-trips every field and is labelled for lookups', async t => {
  const e = entry('demo-1', at.toISOString(), { revision: 42, etcdHash: 7, encryptionKeyObject: 'k/demo-1.encryption-key', note: 'n', scheduleId: 's1' })
  const cm = toConfigMap(e, 'hcp-gateway')
  t.same(cm.metadata.labels, { 'hcp-gateway.io/backup': 'true', 'hcp-gateway.io/cluster': 'demo', 'hcp-gateway.io/cluster-namespace': 'clusters', 'hcp-gateway.io/backup-schedule-id': 's1' })
  t.same(fromConfigMap(cm), e)
  t.equal(fromConfigMap({ data: { id: 'x' } }), undefined, 'an incomplete one is ignored')
  t.same(objectMetadata(e), { 'backup-id': 'demo-1', cluster: 'demo', namespace: 'clusters', sha256: e.sha256, size: '10', revision: '42', 'created-by': 'alice', strategy: 'exec' })
})

t.test('newest-first keyset paging', async t => {
  const all = [entry('a', '2026-01-01T00:00:00Z'), entry('c', '2026-01-03T00:00:00Z'), entry('b', '2026-01-02T00:00:00Z'), entry('b2', '2026-01-02T00:00:00Z')]
  const p1 = pageNewestFirst(all, 2)
  t.same(p1.items.map(e => e.id), ['c', 'b2'])
  const p2 = pageNewestFirst([...all, entry('d', '2026-01-04T00:00:00Z')], 2, p1.continue)
  t.same(p2.items.map(e => e.id), ['b', 'a'], 'an item added meanwhile neither repeats nor shifts the next page')
  t.equal(p2.continue, undefined)
  t.throws(() => pageNewestFirst(all, 2, 'garbage!'), RangeError)
})
