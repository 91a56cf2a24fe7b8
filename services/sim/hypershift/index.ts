import { bootstrapManagementCluster } from './bootstrap.ts'
import { seedDemo } from './demo-seed.ts'
import { createHostedClusterController } from './hostedcluster-controller.ts'
import type { ReconcileResult } from './hostedcluster-controller.ts'
import { HYPERSHIFT_GROUP, HYPERSHIFT_VERSION, errorMessage, isConflict, makeClients } from './kube-client.ts'
import { createNodePoolController } from './nodepool-controller.ts'
import type { LogFn } from './types.ts'
import { watchResource } from './watcher.ts'
import type { WatchedObject } from './watcher.ts'
import { createWorkQueue } from './work-queue.ts'
import { createWorkloadController } from './workload-controller.ts'
import type { WorkloadKind } from './workload-controller.ts'
import { ANNOTATION_CLUSTER, MANAGED_BY, MANAGER } from './control-plane.ts'
import { createEtcdBackupController } from './etcd-backup-controller.ts'
import { VELERO, createVeleroController } from './velero-controller.ts'

export interface HypershiftTiming { stepMs: number }
export interface HypershiftSimOptions {
  kubeconfig: string
  timing: HypershiftTiming
  seedDemo?: boolean
  log?: LogFn
}
export interface HypershiftSim {
  close (): Promise<void>
  idle (): Promise<void>
}

type Meta = { name?: string, namespace?: string, annotations?: Record<string, string>, labels?: Record<string, string>, ownerReferences?: Array<{ kind?: string, name?: string }> }

// The HyperShift Operator half of the twin: controllers that act on the management cluster only
// through its Kubernetes API (watches + client-node), like the real operator.
export async function startHypershiftSim (opts: HypershiftSimOptions): Promise<HypershiftSim> {
  const stepMs = Math.max(1, opts.timing.stepMs)
  const log: LogFn = opts.log ?? (() => {})
  const clients = makeClients(opts.kubeconfig)
  const hcCtl = createHostedClusterController(clients, stepMs)
  const npCtl = createNodePoolController(clients, stepMs)
  const workloads = createWorkloadController(clients, stepMs)
  // NodePool → its HostedCluster, to wake pools when their cluster changes
  const poolCluster = new Map<string, string>()

  const queue = createWorkQueue({
    minIntervalMs: stepMs,
    retryDelayMs: stepMs,
    onError: (key, err) => {
      // a 409 only means we raced another writer: re-read on the retry
      if (!isConflict(err)) log('warn', 'hypershift reconcile failed', { key, err: errorMessage(err) })
    },
    handler: async (key) => {
      const [kind, namespace, name] = key.split('|')
      let result: ReconcileResult = {}
      if (kind === 'hc') result = await hcCtl.reconcile(namespace, name)
      else if (kind === 'np') result = await npCtl.reconcile(namespace, name)
      else if (kind === 'hcpbk') result = await backupCtl.reconcile(namespace, name)
      else if (kind === 'backups' || kind === 'restores') result = await veleroCtl.reconcile(kind, namespace, name)
      else {
        const done = await workloads.reconcile(kind === 'sts' ? 'StatefulSet' : 'Deployment', namespace, name)
        if (!done) result = { requeueAfterMs: stepMs }
      }
      if (result.requeueAfterMs !== undefined) queue.add(key, result.requeueAfterMs)
    }
  })

  const backupCtl = createEtcdBackupController(clients, stepMs, (key) => queue.add(key))
  const veleroCtl = createVeleroController(clients)

  const meta = (obj: WatchedObject): Meta => (obj.metadata ?? {}) as Meta
  const enqueueWorkload = (kind: WorkloadKind, obj: WatchedObject): void => {
    const m = meta(obj)
    if (m.labels?.[MANAGED_BY] !== MANAGER) return
    queue.add(`${kind === 'StatefulSet' ? 'sts' : 'deploy'}|${m.namespace}|${m.name}`)
    const cluster = m.annotations?.[ANNOTATION_CLUSTER]
    if (cluster !== undefined) queue.add(`hc|${cluster.replace('/', '|')}`)
  }

  await bootstrapManagementCluster(clients)

  const hs = `/apis/${HYPERSHIFT_GROUP}/${HYPERSHIFT_VERSION}`
  const common = { kc: clients.kc, log, retryDelayMs: Math.max(stepMs, 50) }
  const watches = [
    watchResource({
      ...common,
      path: `${hs}/hostedclusters`,
      list: async () => await clients.custom.listClusterCustomObject({ group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'hostedclusters' }),
      onEvent: (_type, obj) => {
        const m = meta(obj)
        const key = `${m.namespace}|${m.name}`
        queue.add(`hc|${key}`)
        for (const [pool, cluster] of poolCluster) if (cluster === key) queue.add(`np|${pool}`)
      }
    }),
    watchResource({
      ...common,
      path: `${hs}/nodepools`,
      list: async () => await clients.custom.listClusterCustomObject({ group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'nodepools' }),
      onEvent: (type, obj) => {
        const m = meta(obj)
        const key = `${m.namespace}|${m.name}`
        const clusterName = (obj as { spec?: { clusterName?: string } }).spec?.clusterName
        if (type === 'DELETED') poolCluster.delete(key)
        else if (clusterName !== undefined) poolCluster.set(key, `${m.namespace}|${clusterName}`)
        queue.add(`np|${key}`)
        // the cluster's deletion waits for its pools
        if (clusterName !== undefined) queue.add(`hc|${m.namespace}|${clusterName}`)
      }
    }),
    watchResource({
      ...common,
      path: '/apis/apps/v1/statefulsets',
      labelSelector: `${MANAGED_BY}=${MANAGER}`,
      list: async () => await clients.apps.listStatefulSetForAllNamespaces({ labelSelector: `${MANAGED_BY}=${MANAGER}` }),
      onEvent: (_type, obj) => { enqueueWorkload('StatefulSet', obj) }
    }),
    watchResource({
      ...common,
      path: '/apis/apps/v1/deployments',
      labelSelector: `${MANAGED_BY}=${MANAGER}`,
      list: async () => await clients.apps.listDeploymentForAllNamespaces({ labelSelector: `${MANAGED_BY}=${MANAGER}` }),
      onEvent: (_type, obj) => { enqueueWorkload('Deployment', obj) }
    }),
    watchResource({
      ...common,
      path: '/api/v1/pods',
      labelSelector: 'hypershift.openshift.io/control-plane-component',
      list: async () => await clients.core.listPodForAllNamespaces({ labelSelector: 'hypershift.openshift.io/control-plane-component' }),
      onEvent: (_type, obj) => {
        const m = meta(obj)
        for (const o of m.ownerReferences ?? []) {
          if (o.kind === 'StatefulSet') queue.add(`sts|${m.namespace}|${o.name}`)
          if (o.kind === 'Deployment') queue.add(`deploy|${m.namespace}|${o.name}`)
        }
      }
    }),
    watchResource({
      ...common,
      path: `${hs}/hcpetcdbackups`,
      list: async () => await clients.custom.listClusterCustomObject({ group: HYPERSHIFT_GROUP, version: HYPERSHIFT_VERSION, plural: 'hcpetcdbackups' }),
      onEvent: (type, obj) => { if (type !== 'DELETED') queue.add(`hcpbk|${meta(obj).namespace}|${meta(obj).name}`) }
    }),
    ...(['backups', 'restores'] as const).map((plural) => watchResource({
      ...common,
      path: `/apis/${VELERO.group}/${VELERO.version}/${plural}`,
      list: async () => await clients.custom.listClusterCustomObject({ ...VELERO, plural }),
      onEvent: (type, obj) => { if (type !== 'DELETED') queue.add(`${plural}|${meta(obj).namespace}|${meta(obj).name}`) }
    })),
    watchResource({
      ...common,
      path: '/api/v1/namespaces',
      list: async () => await clients.core.listNamespace(),
      onEvent: (type, obj) => {
        // a deleting cluster waits for its control plane namespace to go away
        const cluster = meta(obj).annotations?.[ANNOTATION_CLUSTER]
        if (type === 'DELETED' && cluster !== undefined) queue.add(`hc|${cluster.replace('/', '|')}`)
      }
    })
  ]

  if (opts.seedDemo === true) {
    await seedDemo(clients).catch((err: unknown) => { log('warn', 'hypershift demo seed failed', { err: errorMessage(err) }) })
  }
  log('info', 'hypershift sim started', { stepMs })

  return {
    idle: () => queue.idle(),
    async close () {
      for (const w of watches) w.stop()
      await queue.close()
    }
  }
}
