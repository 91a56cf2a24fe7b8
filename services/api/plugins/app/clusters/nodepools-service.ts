import type { KubeConfig } from '@kubernetes/client-node'
import { GatewayError } from '../../../../../shared/errors.ts'
import { visibleNamespaces, type Principal } from '../../../../../shared/auth/principal.ts'
import type { ClusterLister } from '../../../../../shared/clusters/cluster-list.ts'
import { toNodePoolView } from '../../../../../shared/clusters/nodepool-view.ts'
import type { NodePool, NodePoolList } from '../../../../../shared/clusters/schemas.ts'
import type { KubeObject } from '../../../../../shared/kube/kube-object.ts'
import type { WatchCache } from '../../../../../shared/kube/watch-cache.ts'
import type { ListParams } from '../../../../../shared/list/list-query.ts'
import { checkIfMatch } from '../../../../../shared/http/etag.ts'
import { planNodePoolCreate } from '../../../../../shared/hypershift/day2/nodepool-create.ts'
import type { NodePoolCreateInput } from '../../../../../shared/hypershift/day2/nodepool-create-schema.ts'
import { planNodePoolPatch } from '../../../../../shared/hypershift/day2/nodepool-patch.ts'
import type { NodePoolPatchBody } from '../../../../../shared/hypershift/day2/nodepool-patch-schema.ts'
import { createObjectApplier } from './apply-objects.ts'
import type { ClustersService } from './clusters-service.ts'
import type { HypershiftApi } from './hypershift-api.ts'
import { gatewayLabels, READ_YOUR_WRITES_MS } from './ownership.ts'

export interface NodePoolsServiceDeps {
  kubeConfig: KubeConfig
  api: HypershiftApi
  clusters: ClustersService
  nodePools: WatchCache<KubeObject>
  lister: ClusterLister
}

export function createNodePoolsService (deps: NodePoolsServiceDeps) {
  const applier = createObjectApplier(deps.kubeConfig)

  // Node pools are addressed through their cluster, so tenancy and existence follow the cluster's.
  function find (principal: Principal, cluster: string, name: string): { hc: KubeObject, np: KubeObject } {
    const hc = deps.clusters.find(principal, cluster)
    const np = deps.lister.nodePoolsOf(hc).find(p => p.metadata.name === name)
    if (!np) throw new GatewayError('GW_ERR_NOT_FOUND', `node pool ${name} of cluster ${cluster} not found`)
    return { hc, np }
  }

  async function fresh (obj: KubeObject): Promise<KubeObject> {
    const rv = obj.metadata.resourceVersion
    if (rv) await deps.nodePools.waitForResourceVersion(rv, READ_YOUR_WRITES_MS).catch(() => {})
    return deps.nodePools.get(obj.metadata.namespace, obj.metadata.name) ?? obj
  }

  return {
    list (principal: Principal, cluster: string, params: ListParams): NodePoolList {
      const hc = deps.clusters.find(principal, cluster)
      return deps.lister.listNodePools(params, hc, visibleNamespaces(principal) ?? undefined)
    },

    get (principal: Principal, cluster: string, name: string): { nodePool: NodePool, object: KubeObject } {
      const { np } = find(principal, cluster, name)
      return { nodePool: toNodePoolView(np), object: np }
    },

    async create (principal: Principal, cluster: string, input: NodePoolCreateInput, opts: { dryRun: boolean }): Promise<{ nodePool?: NodePool, manifest?: KubeObject, serverValidated: boolean, warnings: string[] }> {
      const hc = deps.clusters.find(principal, cluster)
      if (deps.nodePools.get(hc.metadata.namespace, input.name)) {
        throw new GatewayError('GW_ERR_ALREADY_EXISTS', `a node pool named ${input.name} already exists in namespace ${hc.metadata.namespace}`, {
          errors: [{ field: 'body.name', message: 'is already used by another node pool in this namespace', constraint: 'unique' }]
        })
      }
      const { nodePool, warnings } = planNodePoolCreate(hc, input, { now: new Date() })
      const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: hc.metadata.namespace! } }
      if (opts.dryRun) {
        const check = await applier.apply(namespace, [nodePool], { dryRun: true })
        return { manifest: nodePool, serverValidated: check.serverValidated, warnings }
      }
      const labelled = { ...nodePool, metadata: { ...nodePool.metadata, labels: { ...nodePool.metadata.labels, ...gatewayLabels(cluster, principal) } } }
      const { objects } = await applier.apply(namespace, [labelled], { dryRun: false })
      return { nodePool: toNodePoolView(await fresh(objects[0])), serverValidated: true, warnings }
    },

    async patch (principal: Principal, cluster: string, name: string, body: NodePoolPatchBody, opts: { ifMatch?: string }): Promise<{ nodePool: NodePool, warnings: string[] }> {
      const { hc, np } = find(principal, cluster, name)
      checkIfMatch(opts.ifMatch, np.metadata.resourceVersion ?? '')
      const supported = await deps.api.supportedVersions()
      const plan = planNodePoolPatch(np, hc, body, { supportedVersions: supported.versions, now: new Date() })
      if (Object.keys(plan.patch).length === 0) return { nodePool: toNodePoolView(np), warnings: plan.warnings }
      const updated = await deps.api.mergePatch('nodepools', np, plan.patch)
      return { nodePool: toNodePoolView(await fresh(updated)), warnings: plan.warnings }
    },

    // HyperShift drains and removes the machines behind a finalizer, so the pool answers Deleting first.
    async remove (principal: Principal, cluster: string, name: string, opts: { ifMatch?: string }): Promise<NodePool> {
      const { np } = find(principal, cluster, name)
      checkIfMatch(opts.ifMatch, np.metadata.resourceVersion ?? '')
      await deps.api.remove('nodepools', np)
      await deps.nodePools.waitUntil(() => {
        const now = deps.nodePools.get(np.metadata.namespace, name)
        return now === undefined || now.metadata.deletionTimestamp !== undefined
      }, READ_YOUR_WRITES_MS).catch(() => {})
      const now = deps.nodePools.get(np.metadata.namespace, name)
      return toNodePoolView(now ?? { ...np, metadata: { ...np.metadata, deletionTimestamp: new Date().toISOString() } })
    }
  }
}

export type NodePoolsService = ReturnType<typeof createNodePoolsService>
