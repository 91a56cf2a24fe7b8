import t, { type Test } from 'tap'
import { validatorCompiler } from '../../../../services/api/validator.ts'
import { ClusterPatchSchema } from '../../../../shared/hypershift/day2/cluster-patch-schema.ts'
import { NodePoolCreateSchema } from '../../../../shared/hypershift/day2/nodepool-create-schema.ts'
import { NodePoolPatchSchema } from '../../../../shared/hypershift/day2/nodepool-patch-schema.ts'

// The body schemas compiled the way the API compiles request bodies (strict, no coercion).
const compile = (schema: object) => validatorCompiler({ schema, method: 'POST', url: '/x', httpPart: 'body' }) as ((body: unknown) => boolean) & { errors?: Array<{ instancePath: string, keyword: string }> | null }
const IMG = 'quay.io/openshift-release-dev/ocp-release:4.18.10-x86_64'

function check (t: Test, schema: object, cases: Array<[unknown, boolean, string]>): void {
  const validate = compile(schema)
  for (const [body, ok, what] of cases) t.equal(validate(body), ok, `${what}: ${JSON.stringify(validate.errors ?? null)}`)
}

t.test('cluster PATCH body', async t => {
  check(t, ClusterPatchSchema, [
    [{ labels: { a: 'b', c: null } }, true, 'labels with null'],
    [{ release: { image: IMG, force: true } }, true, 'forced release'],
    [{ channel: 'stable-4.18' }, true, 'channel'],
    [{ channel: null, pausedUntil: null, additionalTrustBundle: null }, true, 'removals'],
    [{ restart: true }, true, 'restart'],
    [{ aws: { resourceTags: [{ key: 'k', value: 'v', overridePolicy: 'Allow' }] } }, true, 'tags'],
    [{ oauth: { identityProviders: [{ name: 'h', type: 'HTPasswd', htpasswd: { fileData: { name: 's' } } }] } }, true, 'idp'],
    [{ networking: { clusterNetwork: [] } }, true, 'immutable fields reach the planner'],
    [{}, false, 'empty body'],
    [{ name: 'x' }, false, 'unknown field'],
    [{ restart: false }, false, 'restart false'],
    [{ channel: 'beta-4.18' }, false, 'channel pattern'],
    [{ release: { image: IMG, extra: 1 } }, false, 'unknown release member'],
    [{ aws: { resourceTags: Array.from({ length: 26 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } }, false, '26 tags'],
    [{ aws: { resourceTags: [{ key: 'a b', value: 'v' }] } }, false, 'tag key pattern'],
    [{ oauth: { identityProviders: [{ name: 'x', type: 'Magic' }] } }, false, 'idp type'],
    [{ pausedUntil: 'x'.repeat(36) }, false, 'pausedUntil length']
  ])
})

t.test('node pool PATCH body', async t => {
  check(t, NodePoolPatchSchema, [
    [{ replicas: 3 }, true, 'replicas'],
    [{ autoscaling: { min: 0, max: 3 } }, true, 'autoscaling'],
    [{ nodeDrainTimeout: '1h30m', nodeVolumeDetachTimeout: null }, true, 'durations'],
    [{ management: { replace: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } } }, true, 'rolling update'],
    [{ nodeLabels: { a: null } }, true, 'label removal'],
    [{ upgradeType: 'InPlace' }, true, 'immutable fields reach the planner'],
    [{}, false, 'empty body'],
    [{ replicas: -1 }, false, 'negative replicas'],
    [{ replicas: '3' }, false, 'no coercion'],
    [{ autoscaling: { min: 1, max: 0 } }, false, 'max below 1'],
    [{ nodeDrainTimeout: '10 minutes' }, false, 'duration pattern'],
    [{ management: { replace: { rollingUpdate: { maxSurge: '150%' } } } }, false, 'percent over 100'],
    [{ management: {} }, false, 'empty management'],
    [{ taints: [{ key: 'k', effect: 'Sometimes' }] }, false, 'taint effect'],
    [{ tuningConfig: Array.from({ length: 11 }, (_, i) => `c${i}`) }, false, '11 tuning configs']
  ])
})

t.test('node pool POST body', async t => {
  check(t, NodePoolCreateSchema, [
    [{ name: 'p' }, true, 'minimal'],
    [{ name: 'p', arch: 'arm64', replicas: 1, aws: { instanceType: 'm6g.large', rootVolume: { size: 200 }, capacityReservation: { id: 'cr-0123456789abcdef0', marketType: 'CapacityBlocks' } } }, true, 'aws'],
    [{ name: 'p', kubevirt: { memory: '8Gi', cores: 4, rootVolume: { size: 64 }, hostDevices: [{ deviceName: 'gpu', count: 2 }] } }, true, 'kubevirt'],
    [{ name: 'p', agent: { agentLabelSelector: { matchLabels: { size: 'medium' } } } }, true, 'agent'],
    [{ name: 'p', openstack: { flavor: 'm1.xlarge', imageName: 'rhcos' } }, true, 'openstack'],
    [{ name: 'p', none: {} }, true, 'none'],
    [{}, false, 'name required'],
    [{ name: 'p', arch: 'riscv64' }, false, 'arch enum'],
    [{ name: 'p', aws: { rootVolume: { size: 4 } } }, false, 'root volume below 8 GiB'],
    [{ name: 'p', kubevirt: { rootVolume: { size: 8 } } }, false, 'kubevirt root volume below 16 GiB'],
    [{ name: 'p', kubevirt: { memory: 'lots' } }, false, 'memory quantity'],
    [{ name: 'p', openstack: { flavor: 'm1' } }, false, 'openstack image required'],
    [{ name: 'p', upgradeType: 'Rolling' }, false, 'upgrade type enum'],
    [{ name: 'p', aws: { subnet: 'x' } }, false, 'unknown aws member']
  ])
})
