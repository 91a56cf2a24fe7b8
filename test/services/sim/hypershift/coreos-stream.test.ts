import t from 'tap'
import { AWS_REGIONS, amiId, buildCoreosStream, coreosBootimagesConfigMapData, streamArchFor } from '../../../../services/sim/hypershift/coreos-stream.ts'

t.test('stream document shape', async (t) => {
  const doc = buildCoreosStream()
  t.same(Object.keys(doc.architectures).sort(), ['aarch64', 'ppc64le', 's390x', 'x86_64'])
  const x86 = doc.architectures.x86_64
  const iso = x86.artifacts.metal.formats.iso.disk
  t.match(iso.location, /rhcos-.*-live-iso\.x86_64\.iso$/)
  t.match(iso.sha256, /^[0-9a-f]{64}$/)
  t.notOk('uncompressed-sha256' in iso, 'an ISO is not compressed')
  const vmdk = x86.artifacts.aws.formats['vmdk.gz'].disk
  t.match(vmdk['uncompressed-sha256'], /^[0-9a-f]{64}$/)
  t.ok(doc.architectures.s390x.artifacts.metal.formats.pxe.kernel.location.includes('s390x'))
  const regions = (x86.images?.aws as { regions: Record<string, { image: string }> }).regions
  t.equal(Object.keys(regions).length, AWS_REGIONS.length)
  t.match(regions['us-east-1'].image, /^ami-[0-9a-f]{17}$/)
  t.not(regions['us-east-1'].image, regions['us-west-2'].image)
  t.equal(regions['us-east-1'].image, amiId('x86_64', 'us-east-1'))
  t.notOk(doc.architectures.s390x.images?.aws, 'no AMIs for s390x')
})

t.test('deterministic across builds', async (t) => {
  t.same(buildCoreosStream(), buildCoreosStream())
  const data = coreosBootimagesConfigMapData('4.19.5')
  t.equal(data.releaseVersion, '4.19.5')
  t.same(JSON.parse(data.stream), buildCoreosStream())
})

t.test('node pool arch → stream arch', async (t) => {
  t.equal(streamArchFor(undefined), 'x86_64')
  t.equal(streamArchFor('arm64'), 'aarch64')
  t.equal(streamArchFor('s390x'), 's390x')
  t.equal(streamArchFor('weird'), 'x86_64')
})
