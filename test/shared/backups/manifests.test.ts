import t from 'tap'
import { hcpEtcdBackupManifest, hcpEtcdBackupState, objectFromSnapshotURL } from '../../../shared/backups/hcp-etcd-backup.ts'
import { veleroBackupManifest, veleroPercent, veleroPhaseOutcome, veleroRestoreManifest } from '../../../shared/backups/velero.ts'
import type { KubeObject } from '../../../shared/kube/kube-object.ts'

t.test('HCPEtcdBackup manifest and its BackupCompleted condition', async t => {
  const m = hcpEtcdBackupManifest({ name: 'b', controlPlaneNamespace: 'clusters-x', bucket: 'bk', region: 'us-east-1', keyPrefix: 'p/x', credentialsSecret: 's' })
  t.same(m.spec.storage, { storageType: 'S3', s3: { bucket: 'bk', region: 'us-east-1', keyPrefix: 'p/x', credentials: { name: 's' } } })
  const withCond = (status: string, reason: string, extra = {}): KubeObject => ({ ...m, status: { conditions: [{ type: 'BackupCompleted', status, reason, message: 'm' }], ...extra } })
  t.equal(hcpEtcdBackupState(m).state, 'pending')
  t.equal(hcpEtcdBackupState(withCond('False', 'BackupInProgress')).state, 'in-progress')
  t.equal(hcpEtcdBackupState(withCond('False', 'EtcdUnhealthy')).state, 'etcd-unhealthy')
  t.equal(hcpEtcdBackupState(withCond('False', 'BackupFailed')).state, 'failed')
  t.equal(hcpEtcdBackupState(withCond('False', 'BackupRejected')).state, 'rejected')
  t.equal(hcpEtcdBackupState(withCond('True', 'BackupSucceeded')).state, 'in-progress', 'succeeded needs the URL too')
  t.match(hcpEtcdBackupState(withCond('True', 'BackupSucceeded', { snapshotURL: 's3://bk/p/x/1.db' })), { state: 'succeeded', snapshotURL: 's3://bk/p/x/1.db' })
  t.same(objectFromSnapshotURL('s3://bk/p/x/1.db', 'bk'), { bucket: 'bk', key: 'p/x/1.db' })
  t.same(objectFromSnapshotURL('https://bk.s3.us-east-1.amazonaws.com/p/x/1.db', 'bk'), { bucket: 'bk', key: 'p/x/1.db' })
  t.same(objectFromSnapshotURL('http://127.0.0.1:9000/bk/p/x/1.db', 'bk'), { bucket: 'bk', key: 'p/x/1.db' })
  t.throws(() => objectFromSnapshotURL('https://other.example.com/z', 'bk'))
})

t.test('Velero Backup/Restore as documented, and phases', async t => {
  const b = veleroBackupManifest({ name: 'n', oadpNamespace: 'openshift-adp', hostedClusterNamespace: 'clusters', controlPlaneNamespace: 'clusters-x', storageLocation: 'default', ttl: '2h0m0s', defaultVolumesToFsBackup: true })
  t.same(b.spec.includedNamespaces, ['clusters', 'clusters-x'])
  t.ok(b.spec.includedResources.includes('hostedcontrolplane'))
  t.equal(b.metadata.labels?.['velero.io/storage-location'], 'default')
  t.match(b.spec, { snapshotMoveData: true, datamover: 'velero', ttl: '2h0m0s' })
  const r = veleroRestoreManifest({ name: 'r', oadpNamespace: 'openshift-adp', backupName: 'n', existingResourcePolicy: 'update' })
  t.match(r.spec, { backupName: 'n', restorePVs: true, existingResourcePolicy: 'update' })
  t.equal(veleroPhaseOutcome('Completed'), 'succeeded')
  t.equal(veleroPhaseOutcome('PartiallyFailed'), 'failed')
  t.equal(veleroPhaseOutcome('WaitingForPluginOperations'), 'running')
  t.equal(veleroPercent({ progress: { totalItems: 4, itemsBackedUp: 1 } }), 25)
  t.equal(veleroPercent(undefined), undefined)
})
