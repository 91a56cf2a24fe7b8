import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node'
import { fromKubeError, isKubeNotFound } from '../../../../../shared/kube/kube-errors.ts'
import type { KubeObject } from '../../../../../shared/kube/kube-object.ts'

export interface ApplyResult {
  // What the API server stored (or, for a dry run, would store), in creation order.
  objects: KubeObject[]
  // False when the server could not check the namespaced objects because their namespace does not exist yet.
  serverValidated: boolean
}

const FIELD_MANAGER = 'hcp-gateway'

function describe (o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name}`
}

// Creates a set of objects the way a careful `kubectl create` would: the API server validates every
// object first (dryRun=All, which also runs the CRD CEL rules), then they are created in order, and if
// any create fails the ones already written are deleted again, so a failed request leaves nothing behind.
export function createObjectApplier (kc: KubeConfig) {
  const api = KubernetesObjectApi.makeApiClient(kc)

  async function exists (o: KubeObject): Promise<boolean> {
    try {
      await api.read(o as KubernetesObject & { metadata: { name: string, namespace: string } })
      return true
    } catch (err) {
      if (isKubeNotFound(err)) return false
      throw fromKubeError(err)
    }
  }

  async function create (o: KubeObject, dryRun: boolean): Promise<KubeObject> {
    try {
      return await api.create(o as KubernetesObject, undefined, dryRun ? 'All' : undefined, FIELD_MANAGER) as KubeObject
    } catch (err) {
      const gw = fromKubeError(err, { fieldPrefix: describe(o) })
      gw.message = `${describe(o)}: ${gw.message}`
      throw gw
    }
  }

  async function remove (o: KubeObject): Promise<void> {
    try {
      await api.delete(o as KubernetesObject, undefined, undefined, undefined, undefined, 'Background')
    } catch (err) {
      if (!isKubeNotFound(err)) throw err
    }
  }

  // Deletes in reverse order; a failure to clean up is reported with what is left, never swallowed.
  async function rollback (created: KubeObject[]): Promise<string[]> {
    const left: string[] = []
    for (const o of [...created].reverse()) {
      await remove(o).catch(() => left.push(describe(o)))
    }
    return left
  }

  return {
    async apply (namespace: KubeObject, objects: KubeObject[], opts: { dryRun: boolean }): Promise<ApplyResult> {
      const nsExists = await exists(namespace)
      if (opts.dryRun) {
        if (!nsExists) {
          // Namespaced objects cannot be dry-run into a namespace that does not exist yet.
          return { objects: [await create(namespace, true)], serverValidated: false }
        }
        const checked = []
        for (const o of objects) checked.push(await create(o, true))
        return { objects: checked, serverValidated: true }
      }
      const created: KubeObject[] = []
      try {
        if (!nsExists) created.push(await create(namespace, false))
        for (const o of objects) await create(o, true)
        for (const o of objects) created.push(await create(o, false))
        return { objects: created, serverValidated: true }
      } catch (err) {
        const left = await rollback(created)
        if (left.length > 0 && err instanceof Error) err.message += `; cleanup could not delete ${left.join(', ')}`
        throw err
      }
    },
    rollback
  }
}
