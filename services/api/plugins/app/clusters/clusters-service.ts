import type { KubeConfig } from '@kubernetes/client-node'
import { Type } from 'typebox'
import { GatewayError } from '../../../../../shared/errors.ts'
import { canSeeNamespace, hasRole, visibleNamespaces, type Principal } from '../../../../../shared/auth/principal.ts'
import type { ClusterLister } from '../../../../../shared/clusters/cluster-list.ts'
import type { Cluster, ClusterList } from '../../../../../shared/clusters/schemas.ts'
import type { KubeObject } from '../../../../../shared/kube/kube-object.ts'
import type { WatchCache } from '../../../../../shared/kube/watch-cache.ts'
import type { ListParams } from '../../../../../shared/list/list-query.ts'
import { checkIfMatch } from '../../../../../shared/http/etag.ts'
import { renderCluster } from '../../../../../shared/hypershift/render/render-cluster.ts'
import { redactSecrets } from '../../../../../shared/hypershift/render/secrets.ts'
import type { RenderOptions } from '../../../../../shared/hypershift/render/types.ts'
import type { CreateClusterInput } from '../../../../../shared/hypershift/render/create-cluster-schema.ts'
import { validateCreateCluster } from '../../../../../shared/hypershift/rules/create-cluster.ts'
import { clusterDestroyKey } from '../../../../../shared/jobs/cluster-destroy.ts'
import type { JobService, SubmitResult } from '../../../../../shared/jobs/service.ts'
import { planClusterPatch } from '../../../../../shared/hypershift/day2/cluster-patch.ts'
import type { ClusterPatchBody } from '../../../../../shared/hypershift/day2/cluster-patch-schema.ts'
import { createObjectApplier } from './apply-objects.ts'
import type { HypershiftApi } from './hypershift-api.ts'
import { gatewayLabels, READ_YOUR_WRITES_MS } from './ownership.ts'

export interface ClustersServiceDeps {
  kubeConfig: KubeConfig
  api: HypershiftApi
  clusters: WatchCache<KubeObject>
  lister: ClusterLister
  jobs: JobService
}

export interface CreateOutcome {
  dryRun: boolean
  cluster?: Cluster
  manifests?: KubeObject[]
  serverValidated: boolean
  warnings: string[]
}

// The options of a destroy, as REST takes them in its query string (and GraphQL as arguments).
export const DestroyOptionsSchema = Type.Object({
  force: Type.Optional(Type.Boolean({ default: false, description: 'Strip finalizers left after the grace period instead of failing (admin; needs reason)' })),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Why a forced destroy is needed; recorded on the job' })),
  gracePeriodSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, description: 'How long to wait for the HostedCluster finalizers' }))
}, { additionalProperties: false })

function scopeOf (principal: Principal): readonly string[] | undefined {
  return visibleNamespaces(principal) ?? undefined
}

// The one implementation of the cluster rules; REST routes and GraphQL resolvers both call it.
export function createClustersService (deps: ClustersServiceDeps) {
  const applier = createObjectApplier(deps.kubeConfig)

  // A cluster outside the caller's tenant answers exactly like one that does not exist.
  function find (principal: Principal, name: string): KubeObject {
    const found = deps.lister.findClusters(name, scopeOf(principal))
    if (found.length === 0) throw new GatewayError('GW_ERR_NOT_FOUND', `cluster ${name} not found`)
    if (found.length > 1) {
      throw new GatewayError('GW_ERR_CONFLICT', `${found.length} hosted clusters are named ${name} (in ${found.map(o => o.metadata.namespace).join(', ')}); names must be unique`)
    }
    return found[0]
  }

  async function fresh (obj: KubeObject): Promise<KubeObject> {
    const rv = obj.metadata.resourceVersion
    if (rv) await deps.clusters.waitForResourceVersion(rv, READ_YOUR_WRITES_MS).catch(() => {})
    return deps.clusters.get(obj.metadata.namespace, obj.metadata.name) ?? obj
  }

  return {
    find,

    list (principal: Principal, params: ListParams): ClusterList {
      return deps.lister.listClusters(params, scopeOf(principal))
    },

    get (principal: Principal, name: string): { cluster: Cluster, object: KubeObject } {
      const object = find(principal, name)
      return { cluster: deps.lister.clusterView(object), object }
    },

    async create (principal: Principal, input: CreateClusterInput, opts: { dryRun: boolean, sensitive: boolean, restore?: RenderOptions['restore'] }): Promise<CreateOutcome> {
      const errors = validateCreateCluster(input)
      if (errors.length > 0) throw new GatewayError('GW_ERR_VALIDATION', errors.map(e => `${e.field}: ${e.message}`).join('; '), { errors })
      const namespace = input.namespace ?? 'clusters'
      if (!canSeeNamespace(principal, namespace)) {
        throw new GatewayError('GW_ERR_FORBIDDEN', `API key ${principal.name} may not create clusters in namespace ${namespace}`)
      }
      // Names are unique across the management cluster (the documentation requires it), not per namespace.
      const taken = deps.lister.findClusters(input.name, undefined)
      if (taken.length > 0) {
        throw new GatewayError('GW_ERR_ALREADY_EXISTS', `a hosted cluster named ${input.name} already exists`, {
          errors: [{ field: 'body.name', message: 'is already used by another hosted cluster', constraint: 'unique' }]
        })
      }
      const needsAddress = (input.platform === 'agent' || input.platform === 'none')
      const apiServerAddress = needsAddress ? await deps.api.managementNodeAddress() : undefined
      const rendered = renderCluster(input, { apiServerAddress, ...(opts.restore ? { restore: opts.restore } : {}) })
      if (opts.dryRun) {
        const check = await applier.apply(rendered.namespace, rendered.objects.filter(o => o !== rendered.namespace), { dryRun: true })
        if (opts.sensitive && !hasRole(principal, 'admin')) {
          throw new GatewayError('GW_ERR_FORBIDDEN', 'sensitive=true shows secrets and needs the admin role')
        }
        const shown = opts.sensitive ? rendered : redactSecrets(rendered)
        return {
          dryRun: true,
          manifests: shown.objects,
          serverValidated: check.serverValidated,
          warnings: check.serverValidated ? [] : [`namespace ${namespace} does not exist yet, so only the Namespace was checked by the API server`]
        }
      }
      const labelled = rendered.objects.map(o => o === rendered.namespace ? o : withLabels(o, gatewayLabels(input.name, principal)))
      const result = await applier.apply(rendered.namespace, labelled.filter(o => o !== rendered.namespace), { dryRun: false })
      const hc = result.objects.find(o => o.kind === 'HostedCluster')!
      return { dryRun: false, cluster: deps.lister.clusterView(await fresh(hc)), serverValidated: true, warnings: [] }
    },

    async patch (principal: Principal, name: string, body: ClusterPatchBody, opts: { ifMatch?: string }): Promise<{ cluster: Cluster, warnings: string[] }> {
      const hc = find(principal, name)
      checkIfMatch(opts.ifMatch, hc.metadata.resourceVersion ?? '')
      const supported = await deps.api.supportedVersions()
      const plan = planClusterPatch(hc, deps.lister.nodePoolsOf(hc), body, { supportedVersions: supported.versions, now: new Date() })
      if (Object.keys(plan.patch).length === 0) return { cluster: deps.lister.clusterView(hc), warnings: plan.warnings }
      const updated = await deps.api.mergePatch('hostedclusters', hc, plan.patch)
      return { cluster: deps.lister.clusterView(await fresh(updated)), warnings: plan.warnings }
    },

    // Destroy is long work: it runs as a job (one per cluster at a time) that the caller follows.
    async destroy (principal: Principal, name: string, opts: { ifMatch?: string, force: boolean, reason?: string, gracePeriodSeconds?: number, idempotencyKey?: string }): Promise<SubmitResult> {
      const hc = find(principal, name)
      checkIfMatch(opts.ifMatch, hc.metadata.resourceVersion ?? '')
      if (opts.force) {
        if (!hasRole(principal, 'admin')) throw new GatewayError('GW_ERR_FORBIDDEN', 'force=true strips finalizers and needs the admin role')
        if (!opts.reason?.trim()) {
          throw new GatewayError('GW_ERR_VALIDATION', 'force=true needs a reason', { errors: [{ field: 'query.reason', message: 'is required with force=true', constraint: 'required' }] })
        }
      }
      const namespace = hc.metadata.namespace!
      return await deps.jobs.submit({
        kind: 'cluster-destroy',
        target: { type: 'cluster', name, namespace },
        params: {
          name,
          namespace,
          ...(opts.force ? { force: true, reason: opts.reason } : {}),
          ...(opts.gracePeriodSeconds ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {})
        },
        createdBy: principal.name,
        naturalKey: clusterDestroyKey(namespace, name),
        ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {})
      })
    },

    async credential (principal: Principal, name: string, which: 'kubeconfig' | 'kubeadminPassword'): Promise<string> {
      if (!hasRole(principal, 'admin')) throw new GatewayError('GW_ERR_FORBIDDEN', 'cluster credentials need the admin role')
      const hc = find(principal, name)
      const ref = which === 'kubeconfig' ? hc.status?.kubeconfig?.name : hc.status?.kubeadminPassword?.name
      if (typeof ref !== 'string') {
        throw new GatewayError('GW_ERR_CONFLICT', `cluster ${name} has not published its ${which === 'kubeconfig' ? 'admin kubeconfig' : 'kubeadmin password'} yet`)
      }
      return await deps.api.secretValue(hc.metadata.namespace!, ref, which === 'kubeconfig' ? 'kubeconfig' : 'password')
    }
  }
}

function withLabels (o: KubeObject, labels: Record<string, string>): KubeObject {
  return { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, ...labels } } }
}

export type ClustersService = ReturnType<typeof createClustersService>
