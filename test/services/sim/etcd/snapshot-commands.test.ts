import t from 'tap'
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { ETCDCTL, G, NS, startEtcdTwin } from '../../../helpers/etcd-twin.ts'

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
const twin = await startEtcdTwin(t)
await twin.createCluster('snap', { annotations: { 'sim.hcp-gateway.io/etcd-db-size': '1Mi' } })
await twin.waitEtcdReady('snap')
const patchHc = async (body: object) => await twin.custom.patchNamespacedCustomObject({ ...G, plural: 'hostedclusters', namespace: NS, name: 'snap', body }, MERGE)
// the backup procedures pause the cluster first; that also keeps the sim from writing while we compare
await patchHc({ spec: { pausedUntil: 'true' } })
await twin.sim.idle()
const run = (cmd: string[]) => twin.exec('snap', cmd)
const revision = async () => JSON.parse((await run([...ETCDCTL, 'endpoint', 'status', '-w', 'json'])).stdout)[0].Status.header.revision as number
const status = async (path: string) => JSON.parse((await run(['env', 'ETCDCTL_API=3', '/usr/bin/etcdctl', '-w', 'json', 'snapshot', 'status', path])).stdout)

t.test('save, status, restore: the keyspace goes back to the snapshot', async (t) => {
  const rev = await revision()
  const save = await run([...ETCDCTL, 'snapshot', 'save', '/var/lib/snapshot.db'])
  t.equal(save.stdout, 'Snapshot saved at /var/lib/snapshot.db\n')
  t.match(save.stderr, /"msg":"saved","path":"\/var\/lib\/snapshot.db"/)
  const saved = await status('/var/lib/snapshot.db')
  t.match(saved, { revision: rev, totalSize: 1024 * 1024, totalKey: Number, hash: Number })
  const table = await run(['etcdctl', '-w', 'table', 'snapshot', 'status', '/var/lib/snapshot.db'])
  t.match(table.stdout, new RegExp(`\\| +HASH +\\| REVISION \\| TOTAL KEYS \\| TOTAL SIZE \\|[\\s\\S]*\\| ${saved.hash.toString(16)} \\| +${rev} \\|`))
  t.equal(table.stderr, 'Deprecated: Use `etcdutl snapshot status` instead.\n\n')
  const sum = (await run(['sha256sum', '/var/lib/snapshot.db'])).stdout.split(' ')[0]

  await run([...ETCDCTL, 'put', 'a', '1'])
  await run([...ETCDCTL, 'put', 'b', '2'])
  t.equal(await revision(), rev + 2)
  await run([...ETCDCTL, 'snapshot', 'save', '/tmp/after.db'])
  t.not((await status('/tmp/after.db')).hash, saved.hash, 'writes change the content')

  const side = await run(['etcdutl', 'snapshot', 'restore', '/var/lib/snapshot.db', '--data-dir', '/var/lib/restore-test'])
  t.equal(side.exitCode, 0)
  t.equal(await revision(), rev + 2, 'a restore into another directory leaves the live keyspace alone')

  const restore = await run(['etcdutl', 'snapshot', 'restore', '/var/lib/snapshot.db', '--data-dir=/var/lib/data', '--skip-hash-check',
    '--name', 'etcd-0', '--initial-cluster-token=etcd-cluster', '--initial-cluster', 'etcd-0=https://etcd-0.etcd-discovery.clusters-snap.svc:2380',
    '--initial-advertise-peer-urls', 'https://etcd-0.etcd-discovery.clusters-snap.svc:2380'])
  t.equal(restore.exitCode, 0)
  t.match(restore.stderr, /"msg":"restored snapshot"/)
  t.equal(await revision(), rev, 'back at the snapshot revision')
  await run([...ETCDCTL, 'snapshot', 'save', '/var/lib/again.db'])
  t.same(await status('/var/lib/again.db'), saved, 'a new snapshot equals the restored one')
  t.equal((await run(['sha256sum', '/var/lib/again.db'])).stdout.split(' ')[0], sum)
})

t.test('files: ls, rm, raw db copies and missing paths', async (t) => {
  const ls = await run(['ls', '-l', '/var/lib'])
  t.match(ls.stdout, /^total \d+\n(-rw-------\. 1 root root \d+ \w{3} [ \d]\d \d\d:\d\d \S+\n)+$/)
  t.match(ls.stdout, /1048576 .* snapshot\.db\n/)
  t.equal((await run(['sh', '-c', 'rm -f /var/lib/again.db && ls /var/lib/again.db'])).stderr, "ls: cannot access '/var/lib/again.db': No such file or directory\n")
  t.equal((await run(['cat', '/var/lib/again.db'])).stderr, 'cat: /var/lib/again.db: No such file or directory\n')
  const raw = await run(['etcdutl', 'snapshot', 'restore', '/var/lib/data/member/snap/db', '--data-dir', '/var/lib/data'])
  t.equal(raw.stderr, 'Error: snapshot missing hash but --skip-hash-check=false\n')
  t.equal((await run(['stat', '-c', '%s', '/var/lib/data/member/snap/db'])).stdout, `${1024 * 1024}\n`)
  t.equal((await run(['etcdctl', 'snapshot', 'status', '/nope'])).stderr, 'Deprecated: Use `etcdutl snapshot status` instead.\n\nError: stat /nope: no such file or directory\n')
})

t.test('files outside /var/lib belong to the pod instance', async (t) => {
  await run([...ETCDCTL, 'snapshot', 'save', '/tmp/ephemeral.db'])
  t.equal((await run(['ls', '/tmp'])).stdout, 'after.db\nephemeral.db\n')
  t.equal((await twin.exec('snap', ['ls', '/tmp'], { container: 'etcd-metrics' })).exitCode, null, 'other containers have no ls')
})

t.test('the fail-snapshot switch breaks snapshot save', async (t) => {
  await patchHc({ metadata: { annotations: { 'sim.hcp-gateway.io/fail-snapshot': 'true' } } })
  const r = await run([...ETCDCTL, 'snapshot', 'save', '/var/lib/broken.db'])
  t.equal(r.exitCode, 1)
  t.match(r.stderr, /Error: rpc error: code = Unavailable desc = error reading from server: EOF\n$/)
  t.equal((await run(['ls', '/var/lib/broken.db'])).exitCode, 2)
  await patchHc({ metadata: { annotations: { 'sim.hcp-gateway.io/fail-snapshot': null } } })
  t.equal((await run([...ETCDCTL, 'snapshot', 'save', '/var/lib/broken.db'])).exitCode, 0)
})
