import t from 'tap'
import { NS, startEtcdTwin, waitFor } from '../../../helpers/etcd-twin.ts'

const V = { group: 'velero.io', version: 'v1' }
const ADP = 'openshift-adp'
const twin = await startEtcdTwin(t)
await twin.core.createNamespace({ body: { metadata: { name: ADP } } })
await twin.createCluster('vel')
await twin.waitEtcdReady('vel')

type Status = { phase?: string, progress?: Record<string, number>, startTimestamp?: string, completionTimestamp?: string, validationErrors?: string[], errors?: number }
const create = async (plural: 'backups' | 'restores', name: string, spec: object, annotations: Record<string, string> = {}) =>
  await twin.custom.createNamespacedCustomObject({ ...V, plural, namespace: ADP, body: { apiVersion: 'velero.io/v1', kind: plural === 'backups' ? 'Backup' : 'Restore', metadata: { name, annotations }, spec } })
const status = async (plural: string, name: string) => ((await twin.custom.getNamespacedCustomObject({ ...V, plural, namespace: ADP, name })) as { status?: Status }).status ?? {}
// every phase the object goes through, in order
async function phases (plural: string, name: string, until: string[]): Promise<{ seen: string[], last: Status }> {
  const seen: string[] = []
  const last = await waitFor(`${name} finished`, async () => {
    const s = await status(plural, name)
    if (s.phase !== undefined && seen.at(-1) !== s.phase) seen.push(s.phase)
    return until.includes(s.phase ?? '') ? s : undefined
  })
  return { seen, last }
}
const backupSpec = {
  hooks: {},
  includedNamespaces: [NS, `${NS}-vel`],
  includedResources: ['sa', 'role', 'pod', 'pvc', 'configmap', 'hostedcluster', 'nodepool', 'secrets', 'hostedcontrolplane', 'deployments', 'statefulsets'],
  excludedResources: [],
  storageLocation: 'default',
  ttl: '2h0m0s',
  snapshotMoveData: true,
  datamover: 'velero',
  defaultVolumesToFsBackup: true
}

t.test('a Backup goes New → InProgress → Completed and counts the items', async (t) => {
  await create('backups', 'hc-backup', backupSpec)
  const { seen, last } = await phases('backups', 'hc-backup', ['Completed', 'Failed', 'PartiallyFailed'])
  t.same(seen.filter((p, i) => i === 0 || p !== seen[i - 1]).slice(-2), ['InProgress', 'Completed'])
  t.ok(last.progress !== undefined && last.progress.totalItems > 3, `counted ${last.progress?.totalItems} items`)
  t.equal(last.progress?.itemsBackedUp, last.progress?.totalItems)
  t.ok(Date.parse(last.startTimestamp ?? '') <= Date.parse(last.completionTimestamp ?? ''))
})

t.test('the outcome switch and an unknown storage location', async (t) => {
  await create('backups', 'partial', backupSpec, { 'sim.hcp-gateway.io/velero-outcome': 'PartiallyFailed' })
  t.match((await phases('backups', 'partial', ['Completed', 'PartiallyFailed'])).last, { phase: 'PartiallyFailed', errors: 1 })
  await create('backups', 'nowhere', { ...backupSpec, storageLocation: 'elsewhere' })
  t.match((await phases('backups', 'nowhere', ['FailedValidation'])).last, { validationErrors: [/backupstoragelocations.velero.io "elsewhere" not found/] })
})

t.test('a Restore follows its backup; a missing backup fails validation', async (t) => {
  await create('restores', 'hc-restore', { backupName: 'hc-backup', restorePVs: true, existingResourcePolicy: 'update', excludedResources: ['nodes', 'events'] })
  const { last } = await phases('restores', 'hc-restore', ['Completed', 'Failed', 'PartiallyFailed'])
  const backup = await status('backups', 'hc-backup')
  t.match(last, { phase: 'Completed', progress: { totalItems: backup.progress?.totalItems, itemsRestored: backup.progress?.totalItems } })
  await create('restores', 'orphan', { backupName: 'does-not-exist' })
  t.match((await phases('restores', 'orphan', ['FailedValidation'])).last, { phase: 'FailedValidation', validationErrors: ['Error retrieving backup: backups.velero.io "does-not-exist" not found'] })
  await create('restores', 'failing', { backupName: 'hc-backup' }, { 'sim.hcp-gateway.io/velero-outcome': 'Failed' })
  t.match((await phases('restores', 'failing', ['Completed', 'Failed'])).last, { phase: 'Failed', failureReason: /simulated/ })
})
