import t from 'tap'
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { startKubeServer } from '../../../services/sim/kube/server.ts'
import { fromKubeError } from '../../../shared/kube/kube-errors.ts'

const hc = { group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters' }

t.test('Kubernetes answers map to the gateway error table', async t => {
  const server = await startKubeServer({ port: 0, crdDir: null, log: () => {} })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  const core = kc.makeApiClient(CoreV1Api)
  const custom = kc.makeApiClient(CustomObjectsApi)
  await core.createNamespace({ body: { metadata: { name: 'clusters' } } })

  const notFound = await custom.getNamespacedCustomObject({ ...hc, namespace: 'clusters', name: 'nope' }).catch(e => e)
  const nf = fromKubeError(notFound)
  t.equal(nf.code, 'GW_ERR_NOT_FOUND')
  t.match(nf.message, /hostedclusters.hypershift.openshift.io "nope" not found/)

  const body = { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'HostedCluster', metadata: { name: 'a' }, spec: {} }
  await custom.createNamespacedCustomObject({ ...hc, namespace: 'clusters', body })
  const exists = fromKubeError(await custom.createNamespacedCustomObject({ ...hc, namespace: 'clusters', body }).catch(e => e))
  t.equal(exists.code, 'GW_ERR_ALREADY_EXISTS')
  t.equal(exists.status, 409)

  const stale = { ...body, metadata: { name: 'a', resourceVersion: '1' } }
  const conflict = fromKubeError(await custom.replaceNamespacedCustomObject({ ...hc, namespace: 'clusters', name: 'a', body: stale }).catch(e => e))
  t.equal(conflict.code, 'GW_ERR_CONFLICT')
  t.equal(conflict.extensions?.kubeReason, 'Conflict')

  const invalid = fromKubeError(await core.createNamespace({ body: { metadata: { name: 'Bad_Name' } } }).catch(e => e), { fieldPrefix: 'body' })
  t.equal(invalid.code, 'GW_ERR_UNPROCESSABLE')
  t.equal(invalid.status, 422)
  t.match(invalid.errors, [{ field: 'body.metadata.name', constraint: 'FieldValueInvalid' }])
})

t.test('an unreachable API server is an upstream error, not a crash', async t => {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'http://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x'
  })
  const err = await kc.makeApiClient(CoreV1Api).listNamespace().catch(e => e)
  const gw = fromKubeError(err)
  t.equal(gw.code, 'GW_ERR_UPSTREAM')
  t.equal(gw.status, 502)
})
