// The real kubectl against the twin. Differences from a real server that kubectl exposes:
// - `kubectl create <built-in>` (e.g. `create namespace`) sends protobuf bodies, which the twin does not
//   decode: it answers 415 as a real server does for a media type it cannot read. Use apply -f instead.
// - The published OpenAPI v3 has operations but no schemas, so `kubectl explain` has nothing to show and
//   apply uses JSON merge patch for custom resources (as it does for any CRD without a published schema).
// - `kubectl patch` without --type on a custom resource fails with 415, exactly like a real server.
import t from 'tap'
import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'

const KUBECTL = '/usr/bin/kubectl'
const CRDS = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))

const HOSTED_CLUSTER = `apiVersion: hypershift.openshift.io/v1beta1
kind: HostedCluster
metadata: {name: demo, namespace: clusters}
spec:
  release: {image: 'quay.io/openshift-release-dev/ocp-release:4.17.0-x86_64'}
  pullSecret: {name: ps}
  platform: {type: None}
  networking: {networkType: OVNKubernetes}
  services:
  - {service: APIServer, servicePublishingStrategy: {type: LoadBalancer}}
  - {service: OAuthServer, servicePublishingStrategy: {type: Route}}
  - {service: Konnectivity, servicePublishingStrategy: {type: Route}}
  - {service: Ignition, servicePublishingStrategy: {type: Route}}
`

t.test('kubectl against the twin', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} is missing` }, async t => {
  const crdDir = existsSync(CRDS) ? CRDS : null
  const server = await startKubeServer({ crdDir })
  t.teardown(() => server.close())
  const dir = t.testdir({ 'kubeconfig.yaml': server.kubeconfig(), 'hc.yaml': HOSTED_CLUSTER, 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: clusters}\n' })
  const kubectl = (args: string[], timeout = 10_000) => new Promise<{ code: number, out: string, err: string }>(resolve => {
    execFile(KUBECTL, ['--kubeconfig', join(dir, 'kubeconfig.yaml'), ...args], { timeout, env: { ...process.env, HOME: dir } }, (error, out, err) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, out, err })
    })
  })
  const ok = async (args: string[]) => {
    const r = await kubectl(args)
    t.equal(r.code, 0, `kubectl ${args.join(' ')}${r.err === '' ? '' : `: ${r.err}`}`)
    return r.out
  }

  t.match(await ok(['apply', '-f', join(dir, 'ns.yaml')]), 'namespace/clusters created')
  t.match((await kubectl(['get', 'hc', '-n', 'clusters'])).err, /No resources found/, 'empty list')
  t.match(await ok(['apply', '-f', join(dir, 'hc.yaml')]), 'hostedcluster.hypershift.openshift.io/demo created')
  writeFileSync(join(dir, 'hc.yaml'), HOSTED_CLUSTER.replace('4.17.0', '4.17.1'))
  t.match(await ok(['apply', '-f', join(dir, 'hc.yaml')]), 'hostedcluster.hypershift.openshift.io/demo configured')

  const table = await ok(['get', 'hc', '-n', 'clusters'])
  t.match(table, crdDir === null ? /^NAME\s+AGE\n/ : /^NAME\s+VERSION\s+CP VERSION\s+KUBECONFIG\s+PROGRESS\s+AVAILABLE/, 'server-side table columns')
  t.match(await ok(['get', 'hostedclusters', '-A']), /^NAMESPACE\s+NAME.*\nclusters\s+demo/)
  t.match(await ok(['get', 'hcs', 'demo', '-n', 'clusters', '-o', 'jsonpath={.spec.release.image}']), '4.17.1')

  t.match(await ok(['patch', 'hc', 'demo', '-n', 'clusters', '--type', 'merge', '-p', '{"metadata":{"labels":{"env":"test"}}}']), 'patched')
  t.match(await ok(['patch', 'hc', 'demo', '-n', 'clusters', '--type', 'json', '-p', '[{"op":"test","path":"/metadata/labels/env","value":"test"},{"op":"replace","path":"/metadata/labels/env","value":"prod"}]']), 'patched')
  t.equal(await ok(['get', 'hc', '-n', 'clusters', '-l', 'env=prod', '-o', 'name']), 'hostedcluster.hypershift.openshift.io/demo\n')
  const strategic = await kubectl(['patch', 'hc', 'demo', '-n', 'clusters', '-p', '{"spec":{}}'])
  t.not(strategic.code, 0)
  t.match(strategic.err, 'the body of the request was in an unknown format')

  const np = `apiVersion: hypershift.openshift.io/v1beta1
kind: NodePool
metadata: {name: np1, namespace: clusters, finalizers: [example.com/hold]}
spec: {clusterName: demo, replicas: 1, release: {image: 'quay.io/openshift-release-dev/ocp-release:4.17.0-x86_64'}, management: {upgradeType: Replace}, platform: {type: None}}
`
  writeFileSync(join(dir, 'np.yaml'), np)
  t.match(await ok(['apply', '-f', join(dir, 'np.yaml')]), 'nodepool.hypershift.openshift.io/np1 created')
  t.match(await ok(['scale', 'nodepool', 'np1', '-n', 'clusters', '--replicas', '3']), 'scaled')
  t.equal(await ok(['get', 'np', 'np1', '-n', 'clusters', '-o', 'jsonpath={.spec.replicas}']), '3')
  t.match(await ok(['delete', 'np', 'np1', '-n', 'clusters', '--wait=false']), 'deleted')
  t.match(await ok(['get', 'nps', 'np1', '-n', 'clusters', '-o', 'jsonpath={.metadata.deletionTimestamp}']), /^\d{4}-/, 'held by its finalizer')
  await ok(['patch', 'np', 'np1', '-n', 'clusters', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]'])
  t.match((await kubectl(['get', 'np', 'np1', '-n', 'clusters'])).err, 'NotFound')

  const watching = kubectl(['get', 'hc', '-n', 'clusters', '--watch', '--request-timeout=2s'], 4000)
  await new Promise(resolve => setTimeout(resolve, 700))
  await ok(['label', 'hc', 'demo', '-n', 'clusters', 'watched=yes'])
  const watched = await watching
  t.ok(watched.out.split('\n').filter(l => l.startsWith('demo')).length >= 2, 'the watch printed the initial row and the change')

  const waiting = kubectl(['wait', '--for=condition=Available', 'hc/demo', '-n', 'clusters', '--timeout=5s'])
  await new Promise(resolve => setTimeout(resolve, 300))
  const status = { status: { conditions: [{ type: 'Available', status: 'True', reason: 'AsExpected', message: 'ok', lastTransitionTime: '2025-01-01T00:00:00Z' }] } }
  const res = await fetch(`${server.url}/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/demo/status`, {
    method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify(status)
  })
  t.equal(res.status, 200, await res.text())
  const waited = await waiting
  t.equal(waited.code, 0, waited.err)
  t.match(waited.out, 'condition met')
  t.match(await ok(['delete', 'hc', 'demo', '-n', 'clusters', '--wait=false']), 'deleted')
})
