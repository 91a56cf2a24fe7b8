import { createHash } from 'node:crypto'

// CoreOS stream metadata (coreos/stream-metadata-go `stream.Stream`) as the MCO publishes it in
// ConfigMap openshift-machine-config-operator/coreos-bootimages, key `stream` (other_seeds §5).
// Every checksum and AMI id is derived by hashing, so the document is identical on every start.

export interface Artifact { location: string, signature: string, sha256: string, 'uncompressed-sha256'?: string }
export interface PlatformArtifacts { release: string, formats: Record<string, Record<string, Artifact>> }
export interface StreamArch {
  artifacts: Record<string, PlatformArtifacts>
  images?: Record<string, unknown>
  'rhel-coreos-extensions'?: Record<string, unknown>
}
export interface StreamDocument {
  stream: string
  metadata: { 'last-modified': string, generator: string }
  architectures: Record<string, StreamArch>
}

export const STREAM_ARCHES = ['x86_64', 'aarch64', 's390x', 'ppc64le'] as const
export type StreamArchName = typeof STREAM_ARCHES[number]

export const AWS_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ca-central-1', 'eu-central-1',
  'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1',
  'me-central-1', 'me-south-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'
] as const

export const RHCOS_STREAM = { ocpMinor: '4.19', rhel: '9.6', release: '9.6.20250523-0', lastModified: '2025-05-26T14:12:40Z' } as const

const MIRROR = 'https://rhcos.mirror.openshift.com/art/storage/prod/streams'

function hex (input: string, length = 64): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length)
}

function artifact (arch: string, file: string, compressed: boolean): Artifact {
  const location = `${MIRROR}/${RHCOS_STREAM.ocpMinor}-${RHCOS_STREAM.rhel}/builds/${RHCOS_STREAM.release}/${arch}/${file}`
  const out: Artifact = { location, signature: `${location}.sig`, sha256: hex(location) }
  if (compressed) out['uncompressed-sha256'] = hex(`uncompressed:${location}`)
  return out
}

function platform (arch: string, formats: Record<string, Record<string, [string, boolean]>>): PlatformArtifacts {
  const out: PlatformArtifacts = { release: RHCOS_STREAM.release, formats: {} }
  for (const [format, files] of Object.entries(formats)) {
    out.formats[format] = {}
    for (const [kind, [suffix, compressed]] of Object.entries(files)) {
      out.formats[format][kind] = artifact(arch, `rhcos-${RHCOS_STREAM.release}-${suffix}`, compressed)
    }
  }
  return out
}

function metal (arch: string): PlatformArtifacts {
  const formats: Record<string, Record<string, [string, boolean]>> = {
    iso: { disk: [`live-iso.${arch}.iso`, false] },
    pxe: {
      kernel: [`live-kernel.${arch}`, false],
      initramfs: [`live-initramfs.${arch}.img`, false],
      rootfs: [`live-rootfs.${arch}.img`, false]
    },
    'raw.gz': { disk: [`metal.${arch}.raw.gz`, true] }
  }
  if (arch === 'x86_64' || arch === 'aarch64' || arch === 'ppc64le') formats['4k.raw.gz'] = { disk: [`metal4k.${arch}.raw.gz`, true] }
  return platform(arch, formats)
}

// Which cloud/virtualisation artifacts RHCOS publishes for each architecture.
const PLATFORMS: Record<StreamArchName, Array<[string, string, string]>> = {
  x86_64: [
    ['aws', 'vmdk.gz', 'aws'], ['azure', 'vhd.gz', 'azure'], ['gcp', 'tar.gz', 'gcp'], ['ibmcloud', 'qcow2.gz', 'ibmcloud'],
    ['kubevirt', 'ociarchive', 'kubevirt'], ['nutanix', 'qcow2', 'nutanix'], ['openstack', 'qcow2.gz', 'openstack'],
    ['qemu', 'qcow2.gz', 'qemu'], ['vmware', 'ova', 'vmware']
  ],
  aarch64: [
    ['aws', 'vmdk.gz', 'aws'], ['azure', 'vhd.gz', 'azure'], ['gcp', 'tar.gz', 'gcp'], ['kubevirt', 'ociarchive', 'kubevirt'],
    ['openstack', 'qcow2.gz', 'openstack'], ['qemu', 'qcow2.gz', 'qemu']
  ],
  s390x: [
    ['ibmcloud', 'qcow2.gz', 'ibmcloud'], ['kubevirt', 'ociarchive', 'kubevirt'], ['openstack', 'qcow2.gz', 'openstack'],
    ['qemu', 'qcow2.gz', 'qemu'], ['qemu-secex', 'qcow2.gz', 'qemu-secex']
  ],
  ppc64le: [
    ['openstack', 'qcow2.gz', 'openstack'], ['powervs', 'ova.gz', 'powervs'], ['qemu', 'qcow2.gz', 'qemu']
  ]
}

export function amiId (arch: string, region: string): string {
  return `ami-${hex(`${RHCOS_STREAM.release}/${arch}/${region}`, 17)}`
}

function images (arch: StreamArchName): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (arch === 'x86_64' || arch === 'aarch64') {
    const regions: Record<string, { release: string, image: string }> = {}
    for (const region of AWS_REGIONS) regions[region] = { release: RHCOS_STREAM.release, image: amiId(arch, region) }
    out.aws = { regions }
    out.gcp = { release: RHCOS_STREAM.release, project: 'rhcos-cloud', name: `rhcos-${RHCOS_STREAM.release.replace(/\./g, '-')}-gcp-${arch.replace('_', '-')}` }
  }
  if (arch === 'ppc64le') {
    const regions: Record<string, unknown> = {}
    for (const region of ['dal10', 'osa21', 'syd04', 'tok04', 'us-east', 'us-south', 'wdc06']) {
      const object = `rhcos-${RHCOS_STREAM.release.replace(/\./g, '-')}-ppc64le-powervs.ova.gz`
      regions[region] = { release: RHCOS_STREAM.release, object, bucket: `rhcos-powervs-images-${region}`, url: `https://s3.${region}.cloud-object-storage.appdomain.cloud` }
    }
    out.powervs = { regions }
  }
  const digest = hex(`kubevirt/${arch}/${RHCOS_STREAM.release}`)
  out.kubevirt = {
    release: RHCOS_STREAM.release,
    image: `quay.io/openshift-release-dev/ocp-v4.0-art-dev:${RHCOS_STREAM.ocpMinor}-${RHCOS_STREAM.rhel}-coreos`,
    'digest-ref': `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${digest}`
  }
  return out
}

export function buildCoreosStream (): StreamDocument {
  const architectures: Record<string, StreamArch> = {}
  for (const arch of STREAM_ARCHES) {
    const artifacts: Record<string, PlatformArtifacts> = { metal: metal(arch) }
    for (const [name, ext, label] of PLATFORMS[arch]) {
      const compressed = ext.endsWith('.gz')
      artifacts[name] = platform(arch, { [ext]: { disk: [`${label}.${arch}.${ext}`, compressed] } })
    }
    const entry: StreamArch = { artifacts, images: images(arch) }
    if (arch === 'x86_64' || arch === 'aarch64') {
      entry['rhel-coreos-extensions'] = {
        'azure-disk': { release: RHCOS_STREAM.release, url: `https://rhcos.blob.core.windows.net/imagebucket/rhcos-${RHCOS_STREAM.release}-azure.${arch}.vhd` }
      }
    }
    architectures[arch] = entry
  }
  return {
    stream: `rhcos-${RHCOS_STREAM.ocpMinor}`,
    metadata: { 'last-modified': RHCOS_STREAM.lastModified, generator: 'plume cosa2stream 0.0.1' },
    architectures
  }
}

export function coreosBootimagesConfigMapData (managementVersion: string): Record<string, string> {
  return { stream: JSON.stringify(buildCoreosStream()), releaseVersion: managementVersion }
}

// NodePool arch (amd64/arm64/…) → stream arch key (x86_64/aarch64/…), seed 002_ch4 §1.8.
export function streamArchFor (nodePoolArch: string | undefined): StreamArchName {
  const map: Record<string, StreamArchName> = { amd64: 'x86_64', arm64: 'aarch64', s390x: 's390x', ppc64le: 'ppc64le' }
  return map[nodePoolArch ?? 'amd64'] ?? 'x86_64'
}
