import t from 'tap'
import { PLATFORM_ARCHES, releaseImageArch, validateArch, validateReleaseForArch, validateScaling } from '../../../../shared/hypershift/rules/platform-arch.ts'

t.test('validateArch per platform', async t => {
  t.same(validateArch('aws', 'arm64', 'f'), [])
  t.same(validateArch('agent', 'ppc64le', 'f'), [])
  t.same(validateArch('kubevirt', 's390x', 'f'), [])
  t.same(validateArch('aws', 'x86_64', 'f'), [{ field: 'f', message: 'must be one of amd64, arm64, ppc64le, s390x', constraint: 'enum' }])
  t.same(validateArch('aws', 'ppc64le', 'body.nodePool.arch'), [{
    field: 'body.nodePool.arch',
    message: 'arch ppc64le is not supported on platform aws; allowed: amd64, arm64',
    constraint: 'platformArch'
  }])
  t.same(validateArch('kubevirt', 'arm64', 'f').map(e => e.constraint), ['platformArch'])
  t.same(validateArch('openstack', 'arm64', 'f').map(e => e.constraint), ['platformArch'])
  const ibmz = validateArch('agent', 's390x', 'f')
  t.equal(ibmz.length, 1)
  t.match(ibmz[0].message, /agentLabelSelector inventory.agent-install.openshift.io\/cpu-architecture=s390x/)
  for (const arches of Object.values(PLATFORM_ARCHES)) t.ok(arches.includes('amd64' as never), 'amd64 everywhere')
})

t.test('releaseImageArch', async t => {
  t.equal(releaseImageArch('quay.io/openshift-release-dev/ocp-release:4.19.0-multi'), 'multi')
  t.equal(releaseImageArch('quay.io/openshift-release-dev/ocp-release:4.17.9-x86_64'), 'amd64')
  t.equal(releaseImageArch('quay.io/openshift-release-dev/ocp-release:4.17.9-aarch64'), 'arm64')
  t.equal(releaseImageArch('quay.io/openshift-release-dev/ocp-release:4.17.9-ppc64le'), 'ppc64le')
  t.equal(releaseImageArch('quay.io/openshift-release-dev/ocp-release:4.17.9-s390x'), 's390x')
  t.equal(releaseImageArch('quay.io/openshift-release-dev/ocp-release@sha256:abc'), null, 'digests say nothing')
  t.equal(releaseImageArch('registry:5000/ocp-release'), null, 'a port is not a tag')
  t.equal(releaseImageArch('quay.io/x/release:latest'), null)
})

t.test('validateReleaseForArch', async t => {
  t.same(validateReleaseForArch('quay.io/r:4.19.0-multi', 'arm64', 'f'), [])
  t.same(validateReleaseForArch('quay.io/r:4.19.0-x86_64', 'amd64', 'f'), [])
  t.same(validateReleaseForArch('quay.io/r:4.19.0-x86_64', 'arm64', 'body.nodePool.arch'), [{
    field: 'body.nodePool.arch',
    message: 'release image is single-arch (amd64); a arm64 NodePool needs a multi-arch release image (tag ending in -multi)',
    constraint: 'multiArch'
  }])
})

t.test('validateScaling', async t => {
  t.same(validateScaling({ replicas: 2 }, 'agent', 'body'), [])
  t.same(validateScaling({ autoScaling: { min: 1, max: 3 } }, 'kubevirt', 'body'), [])
  t.same(validateScaling({ autoScaling: { min: 0, max: 3 } }, 'aws', 'body'), [], 'scale from zero on AWS')
  t.same(validateScaling({ replicas: 1, autoScaling: { min: 1, max: 2 } }, 'aws', 'body.spec'), [
    { field: 'body.spec.autoScaling', message: 'replicas and autoScaling are mutually exclusive; set only one', constraint: 'oneOf' }
  ])
  t.same(validateScaling({ autoScaling: { min: 0, max: 2 } }, 'agent', 'b'), [
    { field: 'b.autoScaling.min', message: 'scale-from-zero (min 0) is only supported on AWS', constraint: 'minimum' }
  ])
  t.same(validateScaling({ autoScaling: { min: 3, max: 2 } }, 'aws', 'b'), [
    { field: 'b.autoScaling.max', message: 'must be >= autoScaling.min (3)', constraint: 'minimum' }
  ])
  t.same(validateScaling({ autoScaling: { min: -1, max: 0 } }, 'aws', 'b').map(e => e.field), ['b.autoScaling.min', 'b.autoScaling.max'])
  t.same(validateScaling({ replicas: -1 }, 'aws', 'b'), [{ field: 'b.replicas', message: 'must be an integer >= 0', constraint: 'minimum' }])
  t.same(validateScaling({ replicas: -1 }, 'aws', 'b', { allowNoNodePool: true }), [])
  t.same(validateScaling({ replicas: -2 }, 'aws', 'b', { allowNoNodePool: true }), [
    { field: 'b.replicas', message: 'must be an integer >= -1 (-1 creates no NodePool)', constraint: 'minimum' }
  ])
  t.same(validateScaling({ replicas: 1.5 }, 'aws', 'b').map(e => e.field), ['b.replicas'])
})
