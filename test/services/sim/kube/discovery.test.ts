// Discovery documents, OpenAPI v3 publication and server-side Table printing.
import t from 'tap'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ApisApi, KubeConfig, KubernetesObjectApi, VersionApi } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'

const CRDS = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))

t.test('discovery without CRD files', async t => {
  const warnings: string[] = []
  const server = await startKubeServer({ crdDir: null, log: (level, msg) => { if (level === 'warn') warnings.push(msg) } })
  t.teardown(() => server.close())
  t.match(warnings, [/unvalidated/])
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  t.match(await kc.makeApiClient(VersionApi).getCode(), { major: '1', minor: '32', gitVersion: /^v1\.32\./ })
  const groups = await kc.makeApiClient(ApisApi).getAPIVersions()
  t.same(groups.groups.map(g => g.name).sort(), ['agent-install.openshift.io', 'apiextensions.k8s.io', 'apps', 'certificates.k8s.io', 'hypershift.openshift.io', 'velero.io'])
  const get = async (path: string) => (await fetch(server.url + path)).json() as Promise<any>
  t.match(await get('/api'), { kind: 'APIVersions', versions: ['v1'] })
  t.match(await get('/apis/apps'), { kind: 'APIGroup', name: 'apps', preferredVersion: { groupVersion: 'apps/v1' } })
  const hs = await get('/apis/hypershift.openshift.io/v1beta1')
  const byName = Object.fromEntries(hs.resources.map((r: { name: string }) => [r.name, r]))
  t.match(byName.hostedclusters, { singularName: 'hostedcluster', namespaced: true, kind: 'HostedCluster', shortNames: ['hc', 'hcs'] })
  t.match(byName['nodepools/scale'], { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] })
  t.ok(byName['hcpetcdbackups/status'])
  const core = await get('/api/v1')
  t.match(core.resources.find((r: { name: string }) => r.name === 'namespaces'), { namespaced: false, shortNames: ['ns'] })
  const crd = (await get('/apis/apiextensions.k8s.io/v1')).resources[0]
  t.same(crd.verbs, ['get', 'list', 'watch'])
  t.match((await get('/apis/certificates.k8s.io/v1')).resources.map((r: { name: string }) => r.name), ['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status'])
  const openapi = await get('/openapi/v3')
  const doc = await get(openapi.paths['apis/hypershift.openshift.io/v1beta1'].serverRelativeURL)
  const patchOp = doc.paths['/apis/hypershift.openshift.io/v1beta1/namespaces/{namespace}/hostedclusters/{name}'].patch
  t.match(patchOp, { 'x-kubernetes-group-version-kind': { kind: 'HostedCluster' }, parameters: [{ name: 'dryRun' }, { name: 'fieldManager' }, { name: 'fieldValidation' }] })
  t.equal((await fetch(`${server.url}/openapi/v2`)).status, 404)

  const objects = KubernetesObjectApi.makeApiClient(kc)
  await objects.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } })
  const table = await (await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } })).json() as any
  t.match(table, { kind: 'Table', apiVersion: 'meta.k8s.io/v1', columnDefinitions: [{ name: 'Name' }, { name: 'Data' }, { name: 'Age' }], rows: [{ cells: ['c', 1, /^\d+s$/], object: { kind: 'PartialObjectMetadata', metadata: { name: 'c' } } }] })
})

t.test('CRD files drive discovery, validation and printer columns', { skip: existsSync(CRDS) ? false : 'no ../shared/crds in this checkout' }, async t => {
  const server = await startKubeServer({ crdDir: CRDS })
  t.teardown(() => server.close())
  t.equal(server.validation.crdsLoaded, 3)
  t.ok(server.validation.rules > 0)
  const call = async (method: string, path: string, body?: unknown, accept = 'application/json') => {
    const res = await fetch(server.url + path, { method, headers: { 'content-type': 'application/json', accept }, body: body === undefined ? undefined : JSON.stringify(body) })
    return { code: res.status, body: await res.json() as any }
  }
  const crds = await call('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
  t.same(crds.body.items.map((c: { metadata: { name: string } }) => c.metadata.name), ['hcpetcdbackups.hypershift.openshift.io', 'hostedclusters.hypershift.openshift.io', 'nodepools.hypershift.openshift.io'])
  t.equal((await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crds.body.items[0])).code, 405)
  const bad = await call('POST', '/apis/hypershift.openshift.io/v1beta1/namespaces/default/hostedclusters', { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', metadata: { name: 'x' }, spec: { platform: { type: 'Foo' } } })
  t.equal(bad.code, 422)
  t.match(bad.body.message, /^HostedCluster\.hypershift\.openshift\.io "x" is invalid: \[spec\.platform\.type: Unsupported value: "Foo": supported values: "AWS", /)
  t.match(bad.body.details.causes, [{ reason: 'FieldValueNotSupported', field: 'spec.platform.type' }])
  const table = await call('GET', '/apis/hypershift.openshift.io/v1beta1/hostedclusters', undefined, 'application/json;as=Table;v=v1;g=meta.k8s.io')
  t.same(table.body.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Version', 'CP Version', 'KubeConfig', 'Progress', 'Available', 'Progressing', 'Message', 'CP Progress', 'DP Progress'])
})
