import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node'
import { fromKubeError } from '../../../../../shared/kube/kube-errors.ts'
import type { KubeObject } from '../../../../../shared/kube/kube-object.ts'
import { conflictFromKube } from '../../../../../shared/http/etag.ts'
import { readSupportedVersions, SUPPORTED_VERSIONS_CONFIGMAP, type SupportedVersions } from '../../../../../shared/versions/supported-versions.ts'

const GROUP = 'hypershift.openshift.io'
const VERSION = 'v1beta1'
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
const VERSIONS_TTL_MS = 30_000

export type HypershiftPlural = 'hostedclusters' | 'nodepools'

// The writes the cluster and node-pool services make. Every change carries the resourceVersion it was
// planned against, so Kubernetes itself refuses it when someone else changed the object in between.
export function createHypershiftApi (kc: KubeConfig) {
  const custom = kc.makeApiClient(CustomObjectsApi)
  const core = kc.makeApiClient(CoreV1Api)
  let versions: { at: number, value: SupportedVersions } | undefined

  async function current (plural: HypershiftPlural, namespace: string, name: string): Promise<KubeObject> {
    return await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural, namespace, name }) as KubeObject
  }

  return {
    async mergePatch (plural: HypershiftPlural, obj: KubeObject, patch: object): Promise<KubeObject> {
      const namespace = obj.metadata.namespace!
      const name = obj.metadata.name
      const body = { ...patch, metadata: { ...(patch as { metadata?: object }).metadata, resourceVersion: obj.metadata.resourceVersion } }
      try {
        return await custom.patchNamespacedCustomObject({ group: GROUP, version: VERSION, plural, namespace, name, body }, MERGE) as KubeObject
      } catch (err) {
        if ((err as { code?: number }).code === 409) {
          const now = await current(plural, namespace, name).catch(() => undefined)
          throw conflictFromKube(now?.metadata.resourceVersion ?? '', `${name} changed while the request was applied; read it again and retry`)
        }
        throw fromKubeError(err, { fieldPrefix: 'body' })
      }
    },

    async remove (plural: HypershiftPlural, obj: KubeObject): Promise<void> {
      try {
        await custom.deleteNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          plural,
          namespace: obj.metadata.namespace!,
          name: obj.metadata.name,
          body: { preconditions: { resourceVersion: obj.metadata.resourceVersion } }
        })
      } catch (err) {
        throw fromKubeError(err)
      }
    },

    async secretValue (namespace: string, name: string, key: string): Promise<string> {
      try {
        const secret = await core.readNamespacedSecret({ namespace, name })
        const value = secret.data?.[key]
        if (value === undefined) throw new Error(`secret ${namespace}/${name} has no key ${key}`)
        return Buffer.from(value, 'base64').toString('utf8')
      } catch (err) {
        throw err instanceof Error && !('code' in err) ? err : fromKubeError(err)
      }
    },

    // hcp asks for an API server address on Agent and None; it defaults to the first node's address.
    async managementNodeAddress (): Promise<string | undefined> {
      try {
        const nodes = await core.listNode({ limit: 1 })
        const addresses = nodes.items[0]?.status?.addresses ?? []
        for (const type of ['ExternalDNS', 'ExternalIP', 'InternalIP']) {
          const found = addresses.find(a => a.type === type)
          if (found) return found.address
        }
      } catch {
        // The twin serves no nodes; the caller then has to give the address.
      }
      return undefined
    },

    async supportedVersions (): Promise<SupportedVersions> {
      if (versions && Date.now() - versions.at < VERSIONS_TTL_MS) return versions.value
      versions = { at: Date.now(), value: readSupportedVersions(await this.supportedVersionsData()) }
      return versions.value
    },

    async supportedVersionsData (): Promise<Record<string, string> | undefined> {
      try {
        return (await core.readNamespacedConfigMap(SUPPORTED_VERSIONS_CONFIGMAP)).data
      } catch (err) {
        if ((err as { code?: number }).code === 404) return undefined
        throw fromKubeError(err)
      }
    }
  }
}

export type HypershiftApi = ReturnType<typeof createHypershiftApi>
