import { setTimeout as sleep } from 'node:timers/promises'
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { Value } from 'typebox/value'
import { GatewayError } from '../../../shared/errors.ts'
import {
  CLUSTER_DESTROY_STAGES, CLUSTER_LABEL, ClusterDestroyParamsSchema, type ClusterDestroyParams
} from '../../../shared/jobs/cluster-destroy.ts'
import { JobKinds } from '../../../shared/jobs/kinds.ts'
import { ignoreNotFound } from '../../../shared/kube/kube-errors.ts'
import { defineJob, type JobContext } from './define-job.ts'
import { permanent } from './errors.ts'

const HS = { group: 'hypershift.openshift.io', version: 'v1beta1' }
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
// After forcing, objects go as soon as the API server sees their finalizers gone; this only bounds a surprise.
const FORCED_WAIT_MS = 30_000

interface KubeMeta { name?: string, finalizers?: string[], deletionTimestamp?: string }
interface KubeObject { metadata?: KubeMeta, spec?: { clusterName?: string } }
interface ObjectRef { kind: string, namespace?: string, name: string }

type Ctx = JobContext<ClusterDestroyParams>

function clients (ctx: Ctx) {
  return { custom: ctx.kube.makeApiClient(CustomObjectsApi), core: ctx.kube.makeApiClient(CoreV1Api) }
}

async function poolsOf (ctx: Ctx): Promise<KubeObject[]> {
  const { custom } = clients(ctx)
  const list = await custom.listNamespacedCustomObject({ ...HS, plural: 'nodepools', namespace: ctx.params.namespace }) as { items: KubeObject[] }
  return list.items.filter(np => np.spec?.clusterName === ctx.params.name)
}

// Deletes every NodePool of the cluster; ones already being deleted are left to their finalizers.
async function deleteNodePools (ctx: Ctx): Promise<ObjectRef[]> {
  const { custom } = clients(ctx)
  const { namespace } = ctx.params
  const pools = await poolsOf(ctx)
  const deleted: ObjectRef[] = []
  for (const [i, np] of pools.entries()) {
    const name = np.metadata!.name!
    if (!np.metadata?.deletionTimestamp) await ignoreNotFound(custom.deleteNamespacedCustomObject({ ...HS, plural: 'nodepools', namespace, name }))
    deleted.push({ kind: 'NodePool', namespace, name })
    ctx.progress({ percent: (i + 1) / pools.length * 100, message: `deleted NodePool ${name}` })
  }
  return deleted
}

async function deleteHostedCluster (ctx: Ctx): Promise<ObjectRef[]> {
  const { custom } = clients(ctx)
  const { namespace, name } = ctx.params
  const found = await ignoreNotFound(custom.deleteNamespacedCustomObject({ ...HS, plural: 'hostedclusters', namespace, name }))
  return found === undefined ? [] : [{ kind: 'HostedCluster', namespace, name }]
}

interface Remaining { ref: ObjectRef, finalizers: string[] }

// What is still there of the cluster: its HostedCluster, NodePools and control-plane namespace.
async function remaining (ctx: Ctx): Promise<Remaining[]> {
  const { custom, core } = clients(ctx)
  const { namespace, name } = ctx.params
  const out: Remaining[] = []
  const hc = await ignoreNotFound(custom.getNamespacedCustomObject({ ...HS, plural: 'hostedclusters', namespace, name })) as KubeObject | undefined
  if (hc) out.push({ ref: { kind: 'HostedCluster', namespace, name }, finalizers: hc.metadata?.finalizers ?? [] })
  for (const np of await poolsOf(ctx)) {
    out.push({ ref: { kind: 'NodePool', namespace, name: np.metadata!.name! }, finalizers: np.metadata?.finalizers ?? [] })
  }
  const cpns = await ignoreNotFound(core.readNamespace({ name: `${namespace}-${name}` }))
  if (cpns) out.push({ ref: { kind: 'Namespace', name: `${namespace}-${name}` }, finalizers: cpns.spec?.finalizers ?? [] })
  return out
}

const describe = (r: Remaining) => `${r.ref.kind} ${r.ref.name}`

// Strips finalizers bottom-up (pools before their cluster), like `hcp destroy --force` after its grace period.
async function stripFinalizers (ctx: Ctx, left: Remaining[]): Promise<string[]> {
  const { custom } = clients(ctx)
  const stripped: string[] = []
  const order = [...left].sort((a, b) => Number(a.ref.kind === 'HostedCluster') - Number(b.ref.kind === 'HostedCluster'))
  for (const r of order) {
    if (r.ref.kind === 'Namespace' || r.finalizers.length === 0) continue
    const plural = r.ref.kind === 'HostedCluster' ? 'hostedclusters' : 'nodepools'
    await ignoreNotFound(custom.patchNamespacedCustomObject({
      ...HS, plural, namespace: ctx.params.namespace, name: r.ref.name, body: { metadata: { finalizers: null } }
    }, MERGE))
    stripped.push(...r.finalizers.map(f => `${describe(r)}: ${f}`))
  }
  return stripped
}

async function waitFinalizers (ctx: Ctx): Promise<{ forced?: { reason: string, finalizers: string[] } }> {
  const { name, namespace, force, reason } = ctx.params
  const graceMs = (ctx.params.gracePeriodSeconds ?? ctx.config.CLUSTER_DESTROY_GRACE_SECONDS) * 1000
  const pollMs = Math.min(2000, Math.max(50, graceMs / 20))
  const deadline = Date.now() + graceMs
  let total = 0
  let forced: { reason: string, finalizers: string[] } | undefined
  let forcedUntil = 0
  while (true) {
    // After a force, the namespace is the operator's to finish; only the API objects are waited for.
    const left = (await remaining(ctx)).filter(r => !forced || r.ref.kind !== 'Namespace')
    total = Math.max(total, left.length)
    if (left.length === 0) return forced ? { forced } : {}
    ctx.progress({ percent: (total - left.length) / total * 100, message: `waiting for ${left.map(describe).join(', ')} to go` })
    if (forced && Date.now() > forcedUntil) {
      throw permanent(new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', `cluster ${namespace}/${name} is still there after its finalizers were removed: ${left.map(describe).join(', ')}`))
    }
    if (!forced && Date.now() >= deadline) {
      const finalizers = left.flatMap(r => r.finalizers.map(f => `${describe(r)}: ${f}`))
      if (!force) {
        const hcFinalizers = left.find(r => r.ref.kind === 'HostedCluster')?.finalizers ?? []
        const detail = hcFinalizers.length > 0 ? `finalizers [${hcFinalizers.join(', ')}] remain` : `${left.map(describe).join(', ')} remain`
        throw permanent(new GatewayError('GW_ERR_UPSTREAM_TIMEOUT',
          `cluster ${name} is stuck deleting: ${detail} (after ${graceMs / 1000} s; destroy again with force and a reason to remove them)`,
          { extensions: { finalizers } }))
      }
      ctx.log('warn', `cluster ${namespace}/${name}: removing finalizers after the grace period`, { reason, finalizers })
      forced = { reason: reason!, finalizers: await stripFinalizers(ctx, left) }
      forcedUntil = Date.now() + FORCED_WAIT_MS
      ctx.progress({ message: `finalizers removed (forced: ${reason})` })
    }
    await sleep(pollMs, undefined, { signal: ctx.signal })
  }
}

// The create path labels every Secret it makes for a cluster (pull secret, etcd encryption key, SSH key, ...).
async function removeSecrets (ctx: Ctx): Promise<ObjectRef[]> {
  const { core } = clients(ctx)
  const { namespace, name } = ctx.params
  const list = await core.listNamespacedSecret({ namespace, labelSelector: `${CLUSTER_LABEL}=${name}` })
  const deleted: ObjectRef[] = []
  for (const secret of list.items) {
    const secretName = secret.metadata!.name!
    if (await ignoreNotFound(core.deleteNamespacedSecret({ namespace, name: secretName })) !== undefined) {
      deleted.push({ kind: 'Secret', namespace, name: secretName })
    }
  }
  return deleted
}

export function parseClusterDestroyParams (raw: Record<string, unknown>): ClusterDestroyParams {
  if (!Value.Check(ClusterDestroyParamsSchema, raw)) {
    const detail = [...Value.Errors(ClusterDestroyParamsSchema, raw)].map(e => `${e.instancePath || '/'} ${e.message}`).join('; ')
    throw new GatewayError('GW_ERR_VALIDATION', `invalid cluster-destroy params: ${detail}`)
  }
  if (raw.force && !raw.reason) throw new GatewayError('GW_ERR_VALIDATION', 'a forced destroy needs a reason')
  return raw
}

const [deleteNodepoolsStage, deleteHostedClusterStage, waitFinalizersStage, removeSecretsStage] = CLUSTER_DESTROY_STAGES

// The documented teardown (HyperShift docs ch. 16, DR tear-down): node pools, then the HostedCluster,
// whose finalizer lets the operator clean up the control plane, then the gateway's own secrets.
// Every stage treats 404 as done, so a resumed or retried job just carries on.
export const clusterDestroyJob = defineJob<ClusterDestroyParams, { deleted: ObjectRef[], forced?: { reason: string, finalizers: string[] } }>({
  kind: JobKinds.clusterDestroy,
  attempts: 5,
  backoff: { delay: 5000, jitter: 0.5 },
  params: parseClusterDestroyParams,
  stages: [
    { name: deleteNodepoolsStage, run: deleteNodePools },
    { name: deleteHostedClusterStage, run: deleteHostedCluster },
    { name: waitFinalizersStage, weight: 6, run: waitFinalizers },
    { name: removeSecretsStage, run: removeSecrets }
  ],
  result: outputs => {
    const refs = (stage: string) => (outputs[stage] as ObjectRef[] | undefined) ?? []
    const forced = (outputs[waitFinalizersStage] as { forced?: { reason: string, finalizers: string[] } } | undefined)?.forced
    return {
      deleted: [...refs(deleteNodepoolsStage), ...refs(deleteHostedClusterStage), ...refs(removeSecretsStage)],
      ...(forced ? { forced } : {})
    }
  }
})
