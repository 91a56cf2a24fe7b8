import t, { type Test } from 'tap'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'
import { GatewayError } from '../../../../shared/errors.ts'
import type { KubeObject } from '../../../../shared/kube/kube-object.ts'
import { planClusterPatch } from '../../../../shared/hypershift/day2/cluster-patch.ts'
import type { ClusterPatchBody } from '../../../../shared/hypershift/day2/cluster-patch-schema.ts'
import type { PlanContext } from '../../../../shared/hypershift/day2/plan.ts'

const crdDir = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))
const IMG = 'quay.io/openshift-release-dev/ocp-release'
const NS = 'clusters'
const NOW = new Date('2026-05-01T10:00:00.000Z')
const ctx: PlanContext = { supportedVersions: ['4.19', '4.18', '4.17', '4.16', '4.15', '4.14'], now: NOW }

function hostedCluster (version = '4.17.9', extra: { platform?: object, deleting?: boolean, arch?: string } = {}): KubeObject {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name: 'demo', namespace: NS, ...(extra.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      release: { image: `${IMG}:${version}-${extra.arch ?? 'x86_64'}` },
      infraID: 'demo-x7k2p',
      pullSecret: { name: 'pull-secret' },
      dns: { baseDomain: 'example.com' },
      networking: { clusterNetwork: [{ cidr: '10.132.0.0/14' }], serviceNetwork: [{ cidr: '172.31.0.0/16' }], networkType: 'OVNKubernetes' },
      etcd: { managementType: 'Managed', managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } } },
      controllerAvailabilityPolicy: 'SingleReplica',
      platform: extra.platform ?? {
        type: 'AWS',
        aws: {
          region: 'us-east-1',
          rolesRef: Object.fromEntries(['controlPlaneOperatorARN', 'imageRegistryARN', 'ingressARN', 'kubeCloudControllerARN', 'networkARN', 'nodePoolManagementARN', 'storageARN']
            .map(k => [k, `arn:aws:iam::123456789012:role/demo-${k}`]))
        }
      },
      services: ['APIServer', 'OAuthServer', 'Konnectivity', 'Ignition'].map(service => ({ service, servicePublishingStrategy: { type: 'Route', route: {} } }))
    }
  }
}

function nodePool (name: string, version: string, spec: object = { replicas: 2 }): KubeObject {
  return {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name, namespace: NS },
    spec: { clusterName: 'demo', release: { image: `${IMG}:${version}-x86_64` }, arch: 'amd64', management: { autoRepair: false, upgradeType: 'Replace' }, platform: { type: 'AWS' }, ...spec }
  }
}

function refusal (t: Test, fn: () => unknown, code: string, field: string, message: RegExp): void {
  const err = t.throws(fn) as GatewayError
  t.equal(err.code, code, `${field}: code`)
  const hit = (err.errors ?? []).find(e => e.field === field)
  t.ok(hit, `${field}: error present in ${JSON.stringify(err.errors)}`)
  t.match(hit?.message, message)
}

t.test('a release update patches spec.release; force also sets force-upgrade-to', async t => {
  const hc = hostedCluster()
  const plain = planClusterPatch(hc, [nodePool('a', '4.17.9')], { release: { image: `${IMG}:4.18.10-x86_64` } }, ctx)
  t.strictSame(plain.patch, { spec: { release: { image: `${IMG}:4.18.10-x86_64` } } })
  const forced = planClusterPatch(hc, [], { release: { image: `${IMG}:4.18.10-x86_64`, force: true } }, ctx)
  t.strictSame(forced.patch, {
    metadata: { annotations: { 'hypershift.openshift.io/force-upgrade-to': `${IMG}:4.18.10-x86_64` } },
    spec: { release: { image: `${IMG}:4.18.10-x86_64` } }
  })
  t.match(forced.warnings.join('\n'), /skips the upgradeability checks/)
  const same = planClusterPatch(hc, [], { release: { image: hc.spec.release.image } }, ctx)
  t.strictSame(same.patch, {})
  t.match(same.warnings.join('\n'), /already runs/)
  t.match(planClusterPatch(hc, [], { release: { image: `${IMG}:4.17.5-x86_64` } }, ctx).warnings.join('\n'), /z-stream downgrades/)
  const digest = `${IMG}@sha256:${'c'.repeat(64)}`
  t.match(planClusterPatch(hc, [], { release: { image: digest } }, ctx).warnings.join('\n'), /cannot tell the OpenShift version/)
  refusal(t, () => planClusterPatch(hc, [], { release: { image: digest } }, { ...ctx, releaseVersion: () => '4.21.0' }), 'GW_ERR_UNPROCESSABLE', 'body.release.image', /4.21 is not supported/)
})

t.test('release rules: supported versions, no y-stream downgrade, multi-arch keeps the version, pool skew', async t => {
  const hc = hostedCluster()
  refusal(t, () => planClusterPatch(hc, [], { release: { image: `${IMG}:4.20.0-x86_64` } }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.release.image', /OpenShift 4.20 is not supported by this management cluster/)
  refusal(t, () => planClusterPatch(hc, [], { release: { image: `${IMG}:4.16.20-x86_64` } }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.release.image', /y-stream downgrade from "4.17.9" to "4.16.20" is not supported/)
  refusal(t, () => planClusterPatch(hc, [], { release: { image: `${IMG}:4.18.1-multi` } }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.release.image', /must keep the version 4.17.9/)
  t.match(planClusterPatch(hc, [], { release: { image: `${IMG}:4.17.9-multi` } }, ctx).warnings.join('\n'), /create new NodePools/)
  refusal(t, () => planClusterPatch(hc, [], { release: { image: 'bad image' } }, ctx), 'GW_ERR_VALIDATION', 'body.release.image', /pull spec/)
  // 4.18 → 4.19: an odd control plane accepts one older minor, so a 4.17 pool is left behind.
  const hc18 = hostedCluster('4.18.10')
  refusal(t, () => planClusterPatch(hc18, [nodePool('old', '4.17.9')], { release: { image: `${IMG}:4.19.3-x86_64` } }, ctx),
    'GW_ERR_CONFLICT', 'body.release.image', /NodePool old: NodePool version 4.17.9 is more than 1 minor version older.*update the NodePool first or set release.force/)
  const forced = planClusterPatch(hc18, [nodePool('old', '4.17.9')], { release: { image: `${IMG}:4.19.3-x86_64`, force: true } }, ctx)
  t.match(forced.warnings.join('\n'), /NodePool old: NodePool version 4.17.9/)
  // a z-stream downgrade of the control plane below a pool's version is a skew conflict too
  refusal(t, () => planClusterPatch(hc18, [nodePool('new', '4.18.10')], { release: { image: `${IMG}:4.18.1-x86_64` } }, ctx), 'GW_ERR_CONFLICT', 'body.release.image', /cannot be higher/)
})

t.test('channel follows the minor of spec.release', async t => {
  const hc = hostedCluster()
  t.strictSame(planClusterPatch(hc, [], { channel: 'stable-4.17' }, ctx).patch, { spec: { channel: 'stable-4.17' } })
  t.strictSame(planClusterPatch(hc, [], { channel: null }, ctx).patch, { spec: { channel: null } })
  t.match(planClusterPatch(hc, [], { channel: 'fast-4.18' }, ctx).warnings.join('\n'), /offers updates to 4.18/)
  refusal(t, () => planClusterPatch(hc, [], { channel: 'stable-4.16' }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.channel', /older than the cluster release 4.17.9; use stable-4.17/)
  refusal(t, () => planClusterPatch(hc, [], { channel: 'eus-4.17' }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.channel', /only for even minors/)
  refusal(t, () => planClusterPatch(hc, [], { channel: 'beta-4.17' }, ctx), 'GW_ERR_VALIDATION', 'body.channel', /stable-4.y/)
  // with a release update in the same patch the channel is checked against the new version
  t.strictSame(planClusterPatch(hc, [], { release: { image: `${IMG}:4.18.10-x86_64` }, channel: 'eus-4.18' }, ctx).patch.spec?.channel, 'eus-4.18')
  t.match(planClusterPatch(hc, [], { channel: 'candidate-4.20' }, ctx).warnings.join('\n'), /not in this management cluster's supported versions/)
})

t.test('pause, resume and restart', async t => {
  const hc = hostedCluster()
  t.strictSame(planClusterPatch(hc, [], { pausedUntil: 'true' }, ctx).patch, { spec: { pausedUntil: 'true' } })
  t.strictSame(planClusterPatch(hc, [], { pausedUntil: '2026-05-02T00:00:00Z' }, ctx).patch, { spec: { pausedUntil: '2026-05-02T00:00:00Z' } })
  t.match(planClusterPatch(hc, [], { pausedUntil: '2026-04-01T00:00:00Z' }, ctx).warnings.join('\n'), /already passed/)
  t.strictSame(planClusterPatch(hc, [], { pausedUntil: null }, ctx).patch, { spec: { pausedUntil: null } })
  refusal(t, () => planClusterPatch(hc, [], { pausedUntil: 'soon' }, ctx), 'GW_ERR_VALIDATION', 'body.pausedUntil', /RFC3339/)
  t.strictSame(planClusterPatch(hc, [], { restart: true }, ctx).patch, { metadata: { annotations: { 'hypershift.openshift.io/restart-date': '2026-05-01T10:00:00.000Z' } } })
})

t.test('labels and annotations merge, null deletes, operation annotations are reserved', async t => {
  const hc = hostedCluster()
  t.strictSame(planClusterPatch(hc, [], { labels: { team: 'a', old: null }, annotations: { 'example.com/note': 'x', gone: null } }, ctx).patch, {
    metadata: { labels: { team: 'a', old: null }, annotations: { 'example.com/note': 'x', gone: null } }
  })
  refusal(t, () => planClusterPatch(hc, [], { labels: { team: 'a b' } }, ctx), 'GW_ERR_VALIDATION', 'body.labels.team', /value must be at most 63 characters/)
  refusal(t, () => planClusterPatch(hc, [], { annotations: { 'bad key!': 'x' } }, ctx), 'GW_ERR_VALIDATION', 'body.annotations.bad key!', /the name must be 1-63 characters/)
  refusal(t, () => planClusterPatch(hc, [], { annotations: { 'hypershift.openshift.io/restart-date': 'now' } }, ctx), 'GW_ERR_VALIDATION', 'body.annotations.hypershift.openshift.io/restart-date', /set through restart/)
  t.strictSame(planClusterPatch(hc, [], { annotations: { 'hypershift.openshift.io/force-upgrade-to': null } }, ctx).patch,
    { metadata: { annotations: { 'hypershift.openshift.io/force-upgrade-to': null } } })
  refusal(t, () => planClusterPatch(hc, [], {} as ClusterPatchBody, ctx), 'GW_ERR_VALIDATION', 'body', /at least one change/)
})

t.test('AWS resource tags', async t => {
  const hc = hostedCluster()
  const tags = [{ key: 'kubernetes.io/cluster/demo', value: 'owned' }, { key: 'cost-center', value: '42', overridePolicy: 'Allow' as const }]
  const plan = planClusterPatch(hc, [], { aws: { resourceTags: tags } }, ctx)
  t.strictSame(plan.patch, { spec: { platform: { aws: { resourceTags: tags } } } })
  t.match(plan.warnings.join('\n'), /Network Load Balancers/)
  refusal(t, () => planClusterPatch(hc, [], { aws: { resourceTags: Array.from({ length: 26 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } }, ctx), 'GW_ERR_VALIDATION', 'body.aws.resourceTags', /at most 25/)
  refusal(t, () => planClusterPatch(hc, [], { aws: { resourceTags: [{ key: 'aws:owner', value: 'x' }] } }, ctx), 'GW_ERR_VALIDATION', 'body.aws.resourceTags[0].key', /aws: prefix is reserved/)
  refusal(t, () => planClusterPatch(hc, [], { aws: { resourceTags: [{ key: 'a', value: 'x' }, { key: 'a', value: 'y' }] } }, ctx), 'GW_ERR_VALIDATION', 'body.aws.resourceTags[1].key', /duplicate/)
  refusal(t, () => planClusterPatch(hc, [], { aws: { resourceTags: [{ key: 'a b', value: 'x' }] } }, ctx), 'GW_ERR_VALIDATION', 'body.aws.resourceTags[0].key', /letters, digits/)
  refusal(t, () => planClusterPatch(hc, [], { aws: { resourceTags: [{ key: 'a', value: '' }] } }, ctx), 'GW_ERR_VALIDATION', 'body.aws.resourceTags[0].value', /1-256/)
  const agent = hostedCluster('4.17.9', { platform: { type: 'Agent', agent: { agentNamespace: 'agents' } } })
  refusal(t, () => planClusterPatch(agent, [], { aws: { resourceTags: [] } }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.aws', /AWS hosted clusters only/)
})

t.test('OAuth identity providers', async t => {
  const hc = hostedCluster()
  const openID = {
    name: 'IAM',
    type: 'OpenID',
    mappingMethod: 'lookup' as const,
    openID: { clientID: 'cid', clientSecret: { name: 'oidc-secret' }, issuer: 'https://example.com/identity', claims: { email: ['email'] } }
  }
  const plan = planClusterPatch(hc, [nodePool('a', '4.17.9')], { oauth: { identityProviders: [openID] } }, ctx)
  t.strictSame(plan.patch, { spec: { configuration: { oauth: { identityProviders: [openID] } } } })
  t.match(plan.warnings.join('\n'), /removes the default kubeadmin user/)
  refusal(t, () => planClusterPatch(hc, [nodePool('a', '4.17.9', { replicas: 0 })], { oauth: { identityProviders: [openID] } }, ctx),
    'GW_ERR_CONFLICT', 'body.oauth.identityProviders', /at least one NodePool replica/)
  const htpasswd = { name: 'local', type: 'HTPasswd', htpasswd: { fileData: { name: 'htpass' } } }
  t.ok(planClusterPatch(hc, [], { oauth: { identityProviders: [htpasswd] } }, ctx), 'HTPasswd works without workers')
  refusal(t, () => planClusterPatch(hc, [], { oauth: { identityProviders: [htpasswd, htpasswd] } }, ctx), 'GW_ERR_VALIDATION', 'body.oauth.identityProviders[1].name', /duplicate/)
  refusal(t, () => planClusterPatch(hc, [], { oauth: { identityProviders: [{ name: 'x', type: 'GitHub' }] } }, ctx), 'GW_ERR_VALIDATION', 'body.oauth.identityProviders[0].github', /required when type is GitHub/)
  refusal(t, () => planClusterPatch(hc, [], { oauth: { identityProviders: [{ ...htpasswd, google: { clientID: 'c', clientSecret: { name: 's' } } }] } }, ctx),
    'GW_ERR_VALIDATION', 'body.oauth.identityProviders[0].google', /only htpasswd may be set/)
  refusal(t, () => planClusterPatch(hc, [nodePool('a', '4.17.9')], { oauth: { identityProviders: [{ ...openID, openID: { ...openID.openID, issuer: 'http://example.com?x=1' } }] } }, ctx),
    'GW_ERR_VALIDATION', 'body.oauth.identityProviders[0].openID.issuer', /https URL without query/)
  refusal(t, () => planClusterPatch(hc, [nodePool('a', '4.17.9')], { oauth: { identityProviders: [{ ...openID, openID: { ...openID.openID, issuer: 'not a url' } }] } }, ctx),
    'GW_ERR_VALIDATION', 'body.oauth.identityProviders[0].openID.issuer', /https URL/)
  refusal(t, () => planClusterPatch(hc, [], { oauth: { identityProviders: [{ name: 'k', type: 'Keystone', keystone: { url: 'https://k' } } as never] } }, ctx),
    'GW_ERR_VALIDATION', 'body.oauth.identityProviders[0].keystone.domainName', /domainName is required/)
})

t.test('additional trust bundle', async t => {
  const hc = hostedCluster()
  const plan = planClusterPatch(hc, [], { additionalTrustBundle: 'user-ca-bundle' }, ctx)
  t.strictSame(plan.patch, { spec: { additionalTrustBundle: { name: 'user-ca-bundle' } } })
  t.match(plan.warnings.join('\n'), /ca-bundle.crt[\s\S]*rolls out every NodePool/)
  t.strictSame(planClusterPatch(hc, [], { additionalTrustBundle: null }, ctx).patch, { spec: { additionalTrustBundle: null } })
  refusal(t, () => planClusterPatch(hc, [], { additionalTrustBundle: 'Bad_Name' }, ctx), 'GW_ERR_VALIDATION', 'body.additionalTrustBundle', /RFC 1123 subdomain/)
})

t.test('immutable fields are refused with the CRD message; the same value is a no-op', async t => {
  const hc = hostedCluster()
  refusal(t, () => planClusterPatch(hc, [], { networking: { ...hc.spec.networking, clusterNetwork: [{ cidr: '10.128.0.0/14' }] } }, ctx),
    'GW_ERR_UNPROCESSABLE', 'body.networking', /clusterNetwork is immutable and cannot be modified once set/)
  refusal(t, () => planClusterPatch(hc, [], { platform: { type: 'Agent' } }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.platform', /Type is immutable.*aws.resourceTags/)
  refusal(t, () => planClusterPatch(hc, [], { infraID: 'other' }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.infraID', /infraID is immutable/)
  refusal(t, () => planClusterPatch(hc, [], { dns: { baseDomain: 'other.com' } }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.dns', /baseDomain is immutable/)
  refusal(t, () => planClusterPatch(hc, [], { etcd: { managementType: 'Managed', managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '16Gi' } } } } }, ctx),
    'GW_ERR_UNPROCESSABLE', 'body.etcd', /Etcd PV storage size is immutable/)
  refusal(t, () => planClusterPatch(hc, [], { controllerAvailabilityPolicy: 'HighlyAvailable' }, ctx), 'GW_ERR_UNPROCESSABLE', 'body.controllerAvailabilityPolicy', /ControllerAvailabilityPolicy is immutable/)
  const same = planClusterPatch(hc, [], { dns: { baseDomain: 'example.com' }, labels: { a: 'b' } }, ctx)
  t.strictSame(same.patch, { metadata: { labels: { a: 'b' } } })
  t.match(same.warnings.join('\n'), /dns is unchanged/)
})

t.test('a cluster being deleted takes no changes; malformed input outranks rules', async t => {
  const err = t.throws(() => planClusterPatch(hostedCluster('4.17.9', { deleting: true }), [], { labels: { a: 'b' } }, ctx)) as GatewayError
  t.equal(err.code, 'GW_ERR_CONFLICT')
  t.match(err.message, /HostedCluster demo is being deleted/)
  const mixed = t.throws(() => planClusterPatch(hostedCluster(), [], { channel: 'eus-4.17', pausedUntil: 'x' }, ctx)) as GatewayError
  t.equal(mixed.code, 'GW_ERR_VALIDATION')
  t.same(mixed.errors?.map(e => e.field), ['body.pausedUntil'])
})

t.test('the twin accepts the planned merge patches', { skip: existsSync(crdDir) ? false : `no CRDs at ${crdDir}` }, async t => {
  const kube = await startKubeServer({ port: 0, crdDir, log: () => {} })
  t.teardown(() => kube.close())
  const kc = new KubeConfig()
  kc.loadFromString(kube.kubeconfig())
  const custom = kc.makeApiClient(CustomObjectsApi)
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } })
  const G = { group: 'hypershift.openshift.io', version: 'v1beta1', namespace: NS, plural: 'hostedclusters' }
  const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
  const hc = hostedCluster('4.18.10')
  await custom.createNamespacedCustomObject({ ...G, body: { ...hc, metadata: { ...hc.metadata, labels: { old: 'x' } } } })
  const pools = [nodePool('workers', '4.18.10')]
  const apply = async (body: ClusterPatchBody): Promise<KubeObject> => {
    const live = await custom.getNamespacedCustomObject({ ...G, name: 'demo' }) as KubeObject
    const { patch } = planClusterPatch(live, pools, body, ctx)
    return await custom.patchNamespacedCustomObject({ ...G, name: 'demo', body: patch }, MERGE) as KubeObject
  }

  let live = await apply({
    release: { image: `${IMG}:4.19.3-x86_64`, force: true },
    channel: 'stable-4.19',
    labels: { team: 'a', old: null },
    pausedUntil: 'true',
    restart: true,
    aws: { resourceTags: [{ key: 'cost-center', value: '42' }] },
    oauth: { identityProviders: [{ name: 'local', type: 'HTPasswd', mappingMethod: 'claim', htpasswd: { fileData: { name: 'htpass' } } }] },
    additionalTrustBundle: 'user-ca-bundle'
  })
  t.equal(live.spec.release.image, `${IMG}:4.19.3-x86_64`)
  t.equal(live.metadata.annotations?.['hypershift.openshift.io/force-upgrade-to'], `${IMG}:4.19.3-x86_64`)
  t.equal(live.metadata.annotations?.['hypershift.openshift.io/restart-date'], NOW.toISOString())
  t.same(live.metadata.labels, { team: 'a' })
  t.equal(live.spec.channel, 'stable-4.19')
  t.equal(live.spec.pausedUntil, 'true')
  t.same(live.spec.platform.aws.resourceTags, [{ key: 'cost-center', value: '42' }])
  t.equal(live.spec.platform.aws.region, 'us-east-1', 'the merge keeps the rest of spec.platform.aws')
  t.equal(live.spec.configuration.oauth.identityProviders[0].htpasswd.fileData.name, 'htpass')
  t.same(live.spec.additionalTrustBundle, { name: 'user-ca-bundle' })

  live = await apply({ pausedUntil: null, channel: null, additionalTrustBundle: null, annotations: { 'hypershift.openshift.io/force-upgrade-to': null } })
  t.equal(live.spec.pausedUntil, undefined)
  t.equal(live.spec.channel, undefined)
  t.equal(live.spec.additionalTrustBundle, undefined)
  t.equal(live.metadata.annotations?.['hypershift.openshift.io/force-upgrade-to'], undefined)

  // what the planner refuses, the apiserver refuses too: the CRD rule it cites is real
  await t.rejects(custom.patchNamespacedCustomObject({ ...G, name: 'demo', body: { spec: { networking: { clusterNetwork: [{ cidr: '10.128.0.0/14' }] } } } }, MERGE), { code: 422 })
  await t.rejects(custom.patchNamespacedCustomObject({ ...G, name: 'demo', body: { spec: { dns: { baseDomain: 'other.com' } } } }, MERGE), { code: 422 })
})
