// CRUD and error answers through @kubernetes/client-node, as the gateway uses it.
import t from 'tap'
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'

const HC = { group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters' }
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

async function failure (p: Promise<unknown>): Promise<{ code: number, body: Record<string, any> }> {
  try {
    await p
  } catch (err) {
    if (!(err instanceof ApiException)) throw err
    return { code: err.code, body: typeof err.body === 'string' ? JSON.parse(err.body) : err.body }
  }
  throw new Error('expected the call to fail')
}

t.test('custom resource CRUD, conflicts and errors', async t => {
  const server = await startKubeServer({ crdDir: null })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  const core = kc.makeApiClient(CoreV1Api)
  const custom = kc.makeApiClient(CustomObjectsApi)
  const hc = (name: string, spec: object = { release: { image: 'r:1' } }) => ({ apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', metadata: { name }, spec })

  const missingNs = await failure(custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: hc('a') }))
  t.equal(missingNs.code, 404)
  t.match(missingNs.body, { kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'namespaces "clusters" not found', details: { name: 'clusters', kind: 'namespaces' } })

  const ns = await core.createNamespace({ body: { metadata: { name: 'clusters' } } })
  t.equal(ns.status?.phase, 'Active')

  const created = await custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: hc('a') })
  t.equal(created.metadata.generation, 1)
  t.match(created.metadata.uid, /^[0-9a-f-]{36}$/)
  t.match(created.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  const rv1 = Number(created.metadata.resourceVersion)

  const dup = await failure(custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: hc('a') }))
  t.equal(dup.code, 409)
  t.same(dup.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'hostedclusters.hypershift.openshift.io "a" already exists',
    reason: 'AlreadyExists',
    details: { name: 'a', group: 'hypershift.openshift.io', kind: 'hostedclusters' },
    code: 409
  })

  const labelled = await custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { metadata: { labels: { team: 'x' } } } }, merge)
  t.equal(labelled.metadata.generation, 1, 'metadata changes keep generation')
  t.ok(Number(labelled.metadata.resourceVersion) > rv1, 'global resourceVersion grows')

  const specChanged = await custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { spec: { release: { image: 'r:2' } } } }, merge)
  t.equal(specChanged.metadata.generation, 2, 'spec change bumps generation')

  const stale = await failure(custom.replaceNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { ...hc('a'), metadata: { name: 'a', resourceVersion: created.metadata.resourceVersion } } }))
  t.equal(stale.code, 409)
  t.equal(stale.body.reason, 'Conflict')
  t.equal(stale.body.message, 'Operation cannot be fulfilled on hostedclusters.hypershift.openshift.io "a": the object has been modified; please apply your changes to the latest version and try again')

  const stalePatch = await failure(custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { metadata: { resourceVersion: '1' }, spec: { x: 1 } } }, merge))
  t.equal(stalePatch.code, 409)

  const replaced = await custom.replaceNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { ...hc('a', { release: { image: 'r:3' } }), metadata: { name: 'a', resourceVersion: specChanged.metadata.resourceVersion } } })
  t.equal(replaced.spec.release.image, 'r:3')
  t.equal(replaced.metadata.uid, created.metadata.uid, 'uid survives an update')
  t.equal(replaced.metadata.labels, undefined, 'PUT replaces labels')

  const noop = await custom.replaceNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: replaced })
  t.equal(noop.metadata.resourceVersion, replaced.metadata.resourceVersion, 'a no-op update writes nothing')

  const wrongName = await failure(custom.replaceNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: hc('b') }))
  t.equal(wrongName.code, 400)
  t.equal(wrongName.body.message, 'the name of the object (b) does not match the name on the URL (a)')

  const wrongNs = await failure(custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: { ...hc('c'), metadata: { name: 'c', namespace: 'default' } } }))
  t.equal(wrongNs.code, 400)
  t.equal(wrongNs.body.message, 'the namespace of the provided object does not match the namespace sent on the request')

  const missing = await failure(custom.getNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'nope' }))
  t.equal(missing.code, 404)
  t.equal(missing.body.message, 'hostedclusters.hypershift.openshift.io "nope" not found')

  const badName = await failure(custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: hc('Bad_Name') }))
  t.equal(badName.code, 422)
  t.equal(badName.body.reason, 'Invalid')
  t.match(badName.body.message, /^HostedCluster\.hypershift\.openshift\.io "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/)
  t.match(badName.body.details, { name: 'Bad_Name', group: 'hypershift.openshift.io', kind: 'HostedCluster', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] })

  const twoErrors = await failure(custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: { ...hc('d'), metadata: { name: 'd', labels: { 'bad key': 'x', ok: 'bad value!' } } } }))
  t.match(twoErrors.body.message, /^HostedCluster\.hypershift\.openshift\.io "d" is invalid: \[metadata\.labels: Invalid value: "bad key": .*, metadata\.labels: Invalid value: "bad value!": .*\]$/)

  const noName = await failure(custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: { ...hc(''), metadata: {} } }))
  t.match(noName.body.details.causes, [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }])

  const generated = await custom.createNamespacedCustomObject({ ...HC, namespace: 'clusters', body: { ...hc(''), metadata: { generateName: 'demo-' } } })
  t.match(generated.metadata.name, /^demo-[bcdfghjklmnpqrstvwxz2456789]{5}$/)

  const strategic = await failure(custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { spec: {} } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)))
  t.equal(strategic.code, 415)
  t.equal(strategic.body.reason, 'UnsupportedMediaType')

  const ssa = await failure(custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: { spec: {} } }, setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply)))
  t.equal(ssa.code, 415, 'server-side apply is not implemented')

  const jsonPatched = await custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: [{ op: 'test', path: '/spec/release/image', value: 'r:3' }, { op: 'add', path: '/spec/paused', value: 'true' }] })
  t.equal(jsonPatched.spec.paused, 'true', 'CustomObjectsApi patches with json-patch by default')
  const failedTest = await failure(custom.patchNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a', body: [{ op: 'test', path: '/spec/release/image', value: 'other' }] }))
  t.equal(failedTest.code, 422)

  const listed = await custom.listNamespacedCustomObject({ ...HC, namespace: 'clusters' })
  t.equal(listed.kind, 'HostedClusterList')
  t.same(listed.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', generated.metadata.name])
  const all = await custom.listClusterCustomObject(HC)
  t.equal(all.items.length, 2)
  t.equal(all.metadata.resourceVersion, jsonPatched.metadata.resourceVersion)

  const deleted = await custom.deleteNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a' })
  t.match(deleted, { kind: 'Status', status: 'Success', details: { name: 'a', kind: 'hostedclusters', uid: created.metadata.uid } })
  t.equal((await failure(custom.deleteNamespacedCustomObject({ ...HC, namespace: 'clusters', name: 'a' }))).code, 404)
})

t.test('raw HTTP edge cases', async t => {
  const server = await startKubeServer({ crdDir: null })
  t.teardown(() => server.close())
  const call = async (method: string, path: string, body?: string, type = 'application/json') => {
    const res = await fetch(server.url + path, { method, body, headers: { 'content-type': type, authorization: 'Bearer anything' } })
    return { code: res.status, body: await res.json() as Record<string, any> }
  }
  const bad = await call('POST', '/api/v1/namespaces', '{not json')
  t.equal(bad.code, 400)
  t.equal(bad.body.reason, 'BadRequest')
  t.same((await call('GET', '/apis/nothing.example.com/v1/things')).body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 })
  t.equal((await call('GET', '/api/v1/namespaces/default/pods/a/b/c')).code, 404)
  const notAllowed = await call('POST', '/api/v1/namespaces/default', '{}')
  t.equal(notAllowed.code, 405)
  t.equal(notAllowed.body.reason, 'MethodNotAllowed')
  t.equal((await call('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x')).code, 405, 'CRDs are read-only')
  const protobuf = await call('POST', '/api/v1/namespaces', 'k8s\u0000', 'application/vnd.kubernetes.protobuf')
  t.equal(protobuf.code, 415)
  const badDryRun = await call('POST', '/api/v1/namespaces?dryRun=Yes', '{"metadata":{"name":"x"}}')
  t.equal(badDryRun.code, 422, 'upstream rejects an unknown dryRun value as an invalid CreateOptions')
  t.match(badDryRun.body.message, 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value')
  const kind = await call('POST', '/api/v1/namespaces', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}')
  t.equal(kind.code, 400)
  const health = await fetch(server.url + '/readyz')
  t.equal(await health.text(), 'ok')
})

t.test('built-in kinds: namespaces, configmaps, strategic merge', async t => {
  const server = await startKubeServer({ crdDir: null })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  const core = kc.makeApiClient(CoreV1Api)
  const bad = await failure(core.createNamespace({ body: { metadata: { name: 'a.b' } } }))
  t.equal(bad.code, 422, 'namespace names are DNS-1123 labels')
  t.match(bad.body.message, /^Namespace "a\.b" is invalid: metadata\.name: Invalid value: "a\.b": a lowercase RFC 1123 label/)
  const cm = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cfg' }, data: { a: '1' } } })
  t.equal(cm.metadata?.generation, undefined, 'configmaps carry no generation, as upstream')
  const pod = await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }] }, { name: 'b', image: 'y' }] } }
  })
  t.equal(pod.status?.phase, 'Pending')
  const patched = await core.patchNamespacedPod({
    namespace: 'default',
    name: 'p',
    body: { spec: { containers: [{ name: 'a', env: [{ name: 'B', value: '2' }] }] } }
  }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch))
  t.same(patched.spec?.containers.map(c => c.name), ['a', 'b'], 'containers merge by name')
  t.same(patched.spec?.containers[0].env?.map(e => e.name), ['A', 'B'], 'env merges by name')
  t.equal(patched.spec?.containers[0].image, 'x')
  const removed = await core.patchNamespacedPod({
    namespace: 'default',
    name: 'p',
    body: { spec: { containers: [{ name: 'b', $patch: 'delete' }] } }
  }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch))
  t.same(removed.spec?.containers.map(c => c.name), ['a'])
  const deletedPod = await core.deleteNamespacedPod({ namespace: 'default', name: 'p' })
  t.equal(deletedPod.metadata?.name, 'p', 'pod deletes answer with the object')
  const svc = await core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } } })
  t.match(svc.spec?.clusterIP, /^10\.96\./)
  t.equal(svc.spec?.type, 'ClusterIP')
})
