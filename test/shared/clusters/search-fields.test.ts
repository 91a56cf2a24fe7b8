import t from 'tap'
import { clusterOrderFields, clusterSearchFields, createClusterQuery, createNodePoolQuery, nodePoolOrderFields, nodePoolSearchFields } from '../../../shared/clusters/search-fields.ts'
import { versionFromImage, versionSortKey } from '../../../shared/clusters/release.ts'
import type { KubeObject } from '../../../shared/kube/kube-object.ts'

const hc: KubeObject = {
  apiVersion: 'hypershift.openshift.io/v1beta1',
  kind: 'HostedCluster',
  metadata: { name: 'a', namespace: 'clusters', uid: 'u1', creationTimestamp: '2025-01-01T00:00:00Z', labels: { env: 'prod' }, annotations: { owner: 'me' } },
  spec: { release: { image: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64' }, platform: { type: 'PowerVS', powervs: { region: 'us-south' } }, dns: { baseDomain: 'example.com' } },
  status: { conditions: [{ type: 'Available', status: 'False' }] }
}
const np: KubeObject = {
  apiVersion: 'hypershift.openshift.io/v1beta1',
  kind: 'NodePool',
  metadata: { name: 'a-1', namespace: 'clusters' },
  spec: { clusterName: 'a', release: { image: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64' }, autoScaling: { min: 2, max: 4 }, management: { upgradeType: 'InPlace' }, platform: { type: 'Agent' } },
  status: { replicas: 1 }
}

t.test('every cluster and node pool field reads the raw object', async t => {
  const read = (fields: typeof clusterSearchFields, o: KubeObject) => Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f(o, k === 'labels.*' ? 'env' : k === 'annotations.*' ? 'owner' : 'Available')]))
  t.same(read(clusterSearchFields, hc), {
    name: 'a',
    namespace: 'clusters',
    uid: 'u1',
    createdAt: '2025-01-01T00:00:00Z',
    deletionTimestamp: undefined,
    platform: 'PowerVS',
    'labels.*': 'prod',
    'annotations.*': 'me',
    'conditions.*': 'False',
    phase: 'Provisioning',
    version: '4.19.3',
    desiredVersion: '4.19.3',
    releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64',
    region: 'us-south',
    baseDomain: 'example.com'
  })
  t.same(read(nodePoolSearchFields, np), {
    name: 'a-1',
    namespace: 'clusters',
    uid: undefined,
    createdAt: undefined,
    deletionTimestamp: undefined,
    platform: 'Agent',
    'labels.*': undefined,
    'annotations.*': undefined,
    'conditions.*': undefined,
    clusterName: 'a',
    phase: 'Pending',
    version: '4.19.3',
    arch: 'amd64',
    upgradeType: 'InPlace',
    autoscaling: 'true',
    replicas: '2'
  })
  t.same(Object.fromEntries(Object.entries(clusterOrderFields).map(([k, f]) => [k, f(hc)])), {
    name: 'a', namespace: 'clusters', createdAt: '2025-01-01T00:00:00Z', platform: 'PowerVS', phase: 'Provisioning', version: '000004.000019.000003~'
  })
  t.same(Object.fromEntries(Object.entries(nodePoolOrderFields).map(([k, f]) => [k, f(np)])), {
    name: 'a-1', namespace: 'clusters', createdAt: '', platform: 'Agent', clusterName: 'a', phase: 'Pending', version: '000004.000019.000003~', replicas: 2
  })
  t.same(createClusterQuery().run([hc], { search: "region = 'us-south' and conditions.Available != 'True'" }).items, [hc])
  t.same(createNodePoolQuery().run([np], { search: "autoscaling = 'true' and replicas >= 2", order: 'replicas desc' }).items, [np])
})

t.test('versions from release images, and their sort keys', async t => {
  t.equal(versionFromImage('quay.io/openshift-release-dev/ocp-release:4.19.3-multi'), '4.19.3')
  t.equal(versionFromImage('quay.io/openshift-release-dev/ocp-release:4.20.0-ec.3-x86_64'), '4.20.0-ec.3')
  t.equal(versionFromImage('registry.local:5000/ocp/release:4.18.1'), '4.18.1')
  t.equal(versionFromImage('registry.local:5000/ocp/release@sha256:abc'), null, 'digest only')
  t.equal(versionFromImage('registry.local:5000/ocp-release'), null, 'a port is not a tag')
  t.equal(versionFromImage('quay.io/x:latest'), null)
  t.equal(versionFromImage(undefined), null)
  const sorted = ['4.10.0', '4.9.12', '4.10.0-rc.1', 'weird', ''].sort((a, b) => versionSortKey(a) < versionSortKey(b) ? -1 : 1)
  t.same(sorted, ['', '4.9.12', '4.10.0-rc.1', '4.10.0', 'weird'])
  t.equal(versionSortKey(null), '')
})
