import t from 'tap'
import { commands, isHealthyOutput, parseEndpointStatus, parseSha256sum, parseSize, parseSnapshotStatus } from '../../../shared/backups/etcd-commands.ts'

t.test('etcdctl argv carries the documented TLS flags and https endpoint', async t => {
  const argv = commands.snapshotSave()
  t.same(argv.slice(0, 3), ['env', 'ETCDCTL_API=3', '/usr/bin/etcdctl'])
  t.ok(argv.includes('/etc/etcd/tls/etcd-ca/ca.crt'), 'the ≥ 4.12 CA path')
  t.ok(argv.includes('--endpoints=https://localhost:2379'))
  t.same(argv.slice(-3), ['snapshot', 'save', '/var/lib/data/snapshot.db'], 'the AWS-flow path')
  t.notOk(commands.snapshotStatus().includes('--cert'), 'snapshot status reads the file only')
})

t.test('the restore uses etcdutl and the documented member flags', async t => {
  const argv = commands.restore('etcd-1', 'clusters-x', 3)
  t.equal(argv[0], 'etcdutl')
  t.ok(argv.includes('--skip-hash-check'))
  t.ok(argv.includes('--initial-cluster-token=etcd-cluster'))
  t.equal(argv[argv.indexOf('--initial-cluster') + 1], 'etcd-0=https://etcd-0.etcd-discovery.clusters-x.svc:2380,etcd-1=https://etcd-1.etcd-discovery.clusters-x.svc:2380,etcd-2=https://etcd-2.etcd-discovery.clusters-x.svc:2380')
  t.equal(argv[argv.indexOf('--initial-advertise-peer-urls') + 1], 'https://etcd-1.etcd-discovery.clusters-x.svc:2380')
})

t.test('output parsers', async t => {
  t.same(parseSnapshotStatus('{"hash":1,"revision":42,"totalKey":7,"totalSize":4096}\n'), { hash: 1, revision: 42, totalKey: 7, totalSize: 4096 })
  t.throws(() => parseSnapshotStatus('1, 42, 7, 4.1 kB'), /no JSON/)
  t.throws(() => parseSnapshotStatus('{"hash":1,"revision":-1,"totalKey":7,"totalSize":4}'), /revision/)
  t.same(parseEndpointStatus('[{"Endpoint":"https://localhost:2379","Status":{"header":{"revision":9},"version":"3.5.18","dbSize":100}}]'),
    [{ endpoint: 'https://localhost:2379', revision: 9, dbSize: 100, version: '3.5.18' }])
  t.ok(isHealthyOutput('https://localhost:2379 is healthy: successfully committed proposal: took = 2ms\n'))
  t.notOk(isHealthyOutput('https://localhost:2379 is unhealthy: failed to commit proposal\n'))
  t.notOk(isHealthyOutput(''))
  t.equal(parseSha256sum(`${'a'.repeat(64)}  /var/lib/x`), 'a'.repeat(64))
  t.throws(() => parseSha256sum('sha256sum: /x: No such file'))
  t.equal(parseSize('1048576\n'), 1048576)
})
