import t from 'tap'
import {
  kubeletVersionFor, lookupReleaseImage, payloadArchFor, releaseDigest, releaseImageFor, RELEASE_REPOSITORY
} from '../../../../services/sim/hypershift/release-catalog.ts'
import { releaseVersionError, supportedVersions, supportedVersionsConfigMapData } from '../../../../services/sim/hypershift/supported-versions.ts'

t.test('parses tagged release pull specs', async (t) => {
  t.match(lookupReleaseImage('quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64'), { version: '4.19.3', minor: 19, patch: 3, arch: 'x86_64', prerelease: null })
  t.match(lookupReleaseImage('quay.io/openshift-release-dev/ocp-release:4.19.0-multi'), { version: '4.19.0', arch: 'multi' })
  t.match(lookupReleaseImage('quay.io/openshift-release-dev/ocp-release:4.18.1-aarch64'), { arch: 'aarch64' })
  t.match(lookupReleaseImage('quay.io/openshift-release-dev/ocp-release:4.17.0-rc.0-x86_64'), { version: '4.17.0-rc.0', prerelease: 'rc.0' })
  t.match(lookupReleaseImage('mirror.local:5000/ocp/release:4.16.20'), { version: '4.16.20', arch: 'x86_64' })
  t.equal(lookupReleaseImage('quay.io/openshift-release-dev/ocp-release:latest'), null)
  t.equal(lookupReleaseImage('quay.io/openshift-release-dev/ocp-release'), null)
})

t.test('digests resolve only through the catalogue', async (t) => {
  const digest = releaseDigest('4.19.3', 'multi')
  t.match(digest, /^sha256:[0-9a-f]{64}$/)
  t.equal(releaseDigest('4.19.3', 'multi'), digest, 'deterministic')
  t.match(lookupReleaseImage(`${RELEASE_REPOSITORY}@${digest}`), { version: '4.19.3', arch: 'multi' })
  t.equal(lookupReleaseImage(`${RELEASE_REPOSITORY}@sha256:${'0'.repeat(64)}`), null)
})

t.test('helpers', async (t) => {
  t.equal(releaseImageFor('4.19.3'), `${RELEASE_REPOSITORY}:4.19.3-x86_64`)
  t.equal(kubeletVersionFor('4.19.3'), 'v1.32.0')
  t.equal(kubeletVersionFor('4.14.0'), 'v1.27.0')
  t.equal(payloadArchFor('multi'), 'Multi')
  t.equal(payloadArchFor('x86_64'), 'AMD64')
})

t.test('supported versions for MCE 2.9 / 4.19', async (t) => {
  t.same(supportedVersions(), ['4.19', '4.18', '4.17', '4.16', '4.15', '4.14'])
  const data = supportedVersionsConfigMapData()
  t.same(JSON.parse(data['supported-versions']), { versions: ['4.19', '4.18', '4.17', '4.16', '4.15', '4.14'] })
  t.match(data['server-version'], /^[0-9a-f]{40}$/)
})

t.test('release validation mirrors IsValidReleaseVersion', async (t) => {
  const rel = (v: string) => lookupReleaseImage(releaseImageFor(v))!
  t.equal(releaseVersionError(rel('4.19.3'), null, 'AWS'), null)
  t.equal(releaseVersionError(rel('4.14.0'), null, 'AWS'), null)
  t.match(releaseVersionError(rel('4.20.1'), null, 'AWS'), 'the latest version supported is: "4.19.0". Attempting to use: "4.20.1"')
  t.match(releaseVersionError(rel('4.13.9'), null, 'Agent'), 'the minimum version supported for platform Agent is: "4.14.0"')
  t.match(releaseVersionError(rel('4.7.0'), null, 'AWS'), 'releases before 4.8 are not supported')
  t.match(releaseVersionError(rel('4.18.1'), rel('4.19.3'), 'AWS'), 'y-stream downgrade from "4.19.3" to "4.18.1" is not supported')
  t.equal(releaseVersionError(rel('4.19.1'), rel('4.19.3'), 'AWS'), null, 'z-stream moves are allowed')
})
