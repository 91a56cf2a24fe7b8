import t from 'tap'
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { ETCDCTL, NS, startEtcdTwin, waitFor } from '../../../helpers/etcd-twin.ts'

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
const twin = await startEtcdTwin(t)
await twin.createCluster('ctl', { policy: 'HighlyAvailable', annotations: { 'sim.hcp-gateway.io/etcd-db-size': '2Mi' } })
await twin.waitEtcdReady('ctl')
await twin.sim.idle()
const CP = `${NS}-ctl`
const run = (cmd: string[], pod = 'etcd-0') => twin.exec('ctl', cmd, { pod })

t.test('endpoint health, status and member list', async (t) => {
  const health = await run([...ETCDCTL, 'endpoint', 'health'])
  t.equal(health.exitCode, 0)
  t.match(health.stdout, /^https:\/\/localhost:2379 is healthy: successfully committed proposal: took = [\d.]+(ns|µs|ms)\n$/)
  const cluster = await run([...ETCDCTL, 'endpoint', 'health', '--cluster', '-w', 'json'])
  t.same(JSON.parse(cluster.stdout).map((h: { endpoint: string, health: boolean }) => [h.endpoint, h.health]),
    [0, 1, 2].map(i => [`https://etcd-${i}.etcd-client.${CP}.svc:2379`, true]))
  const status = JSON.parse((await run([...ETCDCTL, 'endpoint', 'status', '-w', 'json'])).stdout)
  t.match(status, [{ Endpoint: 'https://localhost:2379', Status: { version: '3.5.18', dbSize: 2 * 1024 * 1024, header: { revision: Number } } }])
  const table = await run([...ETCDCTL, 'endpoint', 'status', '-w', 'table'])
  t.match(table.stdout, /\| +ENDPOINT +\| +ID +\| VERSION \| DB SIZE \| IS LEADER \| IS LEARNER \| RAFT TERM \| RAFT INDEX \| RAFT APPLIED INDEX \| ERRORS \|/)
  t.match(table.stdout, /\| https:\/\/localhost:2379 \| [0-9a-f]+ +\| 3\.5\.18 +\| 2\.1 MB +\| true/)
  const members = JSON.parse((await run([...ETCDCTL, 'member', 'list', '-w', 'json'])).stdout)
  t.same(members.members.map((m: { name: string }) => m.name), ['etcd-0', 'etcd-1', 'etcd-2'])
  t.same(members.members[1].peerURLs, [`https://etcd-1.etcd-discovery.${CP}.svc:2380`])
  const simple = await run([...ETCDCTL, 'member', 'list'])
  t.match(simple.stdout, new RegExp(`^[0-9a-f]+, started, etcd-0, https://etcd-0.etcd-discovery.${CP}.svc:2380, https://etcd-0.etcd-client.${CP}.svc:2379, false\n`))
  t.equal((await run(['etcdctl', 'version'])).stdout, 'etcdctl version: 3.5.18\nAPI version: 3.5\n')
})

t.test('TLS flags are required, with the documented paths', async (t) => {
  const none = await run(['etcdctl', '--endpoints=https://localhost:2379', 'endpoint', 'status'])
  t.equal(none.exitCode, 1)
  t.match(none.stderr, /x509: certificate signed by unknown authority.*\nError: context deadline exceeded\n$/s)
  const noClientCert = await run(['etcdctl', '--cacert', '/etc/etcd/tls/etcd-ca/ca.crt', '--endpoints=https://localhost:2379', 'member', 'list'])
  t.match(noClientCert.stderr, /tls: certificate required.*Error: context deadline exceeded/s)
  const oldCa = await run(['etcdctl', '--cacert', '/etc/etcd/tls/client/etcd-client-ca.crt', '--cert', '/etc/etcd/tls/client/etcd-client.crt', '--key', '/etc/etcd/tls/client/etcd-client.key', 'endpoint', 'status'])
  t.equal(oldCa.stderr, 'Error: open /etc/etcd/tls/client/etcd-client-ca.crt: no such file or directory\n')
  const health = await run(['etcdctl', '--endpoints=https://localhost:2379', 'endpoint', 'health'])
  t.equal(health.stderr, 'https://localhost:2379 is unhealthy: failed to commit proposal: context deadline exceeded\nError: unhealthy cluster\n')
  const plain = await run(['etcdctl', '--endpoints=http://localhost:2379', ...ETCDCTL.slice(3, 9), 'endpoint', 'status'])
  t.match(plain.stderr, /error reading server preface: EOF/)
  const envVars = await run(['env', 'ETCDCTL_CACERT=/etc/etcd/tls/etcd-ca/ca.crt', 'ETCDCTL_CERT=/etc/etcd/tls/client/etcd-client.crt',
    'ETCDCTL_KEY=/etc/etcd/tls/client/etcd-client.key', 'ETCDCTL_ENDPOINTS=localhost:2379', 'etcdctl', 'endpoint', 'health'])
  t.equal(envVars.exitCode, 0, 'ETCDCTL_* variables work like the flags')
  t.match((await run(['etcdctl', '--bogus', 'endpoint', 'health'])).stderr, 'Error: unknown flag: --bogus')
})

t.test('put moves the revision', async (t) => {
  const rev = async () => JSON.parse((await run([...ETCDCTL, 'endpoint', 'status', '-w', 'json'])).stdout)[0].Status.header.revision as number
  await twin.sim.idle()
  const before = await rev()
  t.equal((await run([...ETCDCTL, 'put', '/gateway/probe', 'x'])).stdout, 'OK\n')
  t.equal(await rev(), before + 1)
})

t.test('health follows the etcd pods', async (t) => {
  await twin.custom.patchNamespacedCustomObject({ group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters', namespace: NS, name: 'ctl', body: { spec: { pausedUntil: 'true' } } }, MERGE)
  await twin.apps.patchNamespacedStatefulSet({ namespace: CP, name: 'etcd', body: { spec: { replicas: 1 } } }, MERGE)
  await waitFor('members gone', async () => (await twin.core.listNamespacedPod({ namespace: CP, labelSelector: 'app=etcd' })).items.length === 1)
  const lost = await run([...ETCDCTL, 'endpoint', 'health', '--cluster', '-w', 'table'])
  t.equal(lost.exitCode, 1, 'one of three members has no quorum')
  t.match(lost.stdout, /\| https:\/\/etcd-1\.etcd-client\.\S+ \| false +\| 5\.000713s \| failed to commit proposal: context deadline exceeded \|/)
  await twin.apps.patchNamespacedStatefulSet({ namespace: CP, name: 'etcd', body: { spec: { replicas: 0 } } }, MERGE)
  await waitFor('etcd-0 gone', async () => (await twin.core.listNamespacedPod({ namespace: CP, labelSelector: 'app=etcd' })).items.length === 0)
  await t.rejects(run(['etcdctl', 'endpoint', 'health']), /404/, 'no pod to exec into')
  await twin.apps.patchNamespacedStatefulSet({ namespace: CP, name: 'etcd', body: { spec: { replicas: 3 } } }, MERGE)
  await waitFor('etcd-0 back', async () => (await twin.core.readNamespacedPod({ namespace: CP, name: 'etcd-0' })) !== undefined)
  const starting = await run([...ETCDCTL, 'endpoint', 'health'])
  t.equal(starting.exitCode, 1, 'unhealthy while the pods are not ready')
  await twin.waitEtcdReady('ctl')
  t.equal((await run([...ETCDCTL, 'endpoint', 'health'])).exitCode, 0)
})
