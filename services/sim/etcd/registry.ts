// The etcd of every hosted control plane namespace, read off the twin's own store: which HostedCluster
// owns the namespace, which etcd pods exist and are Ready. Databases are made on first use and dropped
// with their namespace; every write to the HostedCluster while etcd has quorum is one etcd write.
import type { Store, StoreEvent } from '../kube/store.ts'
import type { KubeObject } from '../kube/types.ts'
import { ANNOTATION_DB_SIZE, DEFAULT_DB_SIZE, bump, id53, newDatabase, parseSize, snapshotOf } from './database.ts'
import type { EtcdDatabase } from './database.ts'
import { createPodFiles } from './pod-files.ts'
import type { PodFiles } from './pod-files.ts'

const HC_RESOURCE = 'hostedclusters.hypershift.openshift.io'
const CLUSTER_ANNOTATION = 'hypershift.openshift.io/cluster'

export const ANNOTATION_FAIL_EXEC_AFTER = 'sim.hcp-gateway.io/fail-exec-after-bytes'
export const ANNOTATION_FAIL_SNAPSHOT = 'sim.hcp-gateway.io/fail-snapshot'

export interface EtcdMember { name: string, id: number, peerURL: string, clientURL: string, ready: boolean }

export interface EtcdCluster {
  namespace: string
  db: EtcdDatabase
  files: PodFiles
  // fresh reads of the store on every call
  hostedCluster (): KubeObject | undefined
  annotations (): Record<string, string>
  members (): EtcdMember[]
  hasQuorum (): boolean
}

export interface EtcdRegistry {
  // undefined unless the namespace is a hosted control plane namespace whose HostedCluster exists
  cluster (namespace: string): EtcdCluster | undefined
  close (): void
}

export function isReady (pod: KubeObject | undefined): boolean {
  const conds = (pod?.status as { conditions?: Array<{ type: string, status: string }> } | undefined)?.conditions ?? []
  return pod !== undefined && pod.metadata.deletionTimestamp === undefined && conds.some(c => c.type === 'Ready' && c.status === 'True')
}

function hostedClusterFor (store: Store, namespace: string): KubeObject | undefined {
  const ref = store.get('namespaces', '', namespace)?.metadata.annotations?.[CLUSTER_ANNOTATION]
  if (ref === undefined || !ref.includes('/')) return undefined
  const [ns, name] = ref.split('/')
  return store.get(HC_RESOURCE, ns, name)
}

function memberCount (hc: KubeObject): number {
  const policy = (hc.spec as { controllerAvailabilityPolicy?: string } | undefined)?.controllerAvailabilityPolicy ?? 'HighlyAvailable'
  return policy === 'HighlyAvailable' ? 3 : 1
}

function restoresFromSnapshot (hc: KubeObject): boolean {
  const urls = (hc.spec as { etcd?: { managed?: { storage?: { restoreSnapshotURL?: string[] } } } } | undefined)?.etcd?.managed?.storage?.restoreSnapshotURL
  return (urls ?? []).length > 0
}

export function createEtcdRegistry (store: Store): EtcdRegistry {
  const clusters = new Map<string, EtcdCluster>()

  function make (namespace: string, hc: KubeObject): EtcdCluster {
    const uid = hc.metadata.uid ?? namespace
    const size = parseSize(hc.metadata.annotations?.[ANNOTATION_DB_SIZE]) ?? DEFAULT_DB_SIZE
    const db = newDatabase(uid, size, restoresFromSnapshot(hc))
    const self: EtcdCluster = {
      namespace,
      db,
      files: createPodFiles(() => snapshotOf(db, false)),
      hostedCluster: () => hostedClusterFor(store, namespace),
      annotations: () => self.hostedCluster()?.metadata.annotations ?? {},
      members () {
        const current = self.hostedCluster() ?? hc
        return Array.from({ length: memberCount(current) }, (_, i) => {
          const name = `etcd-${i}`
          return {
            name,
            id: id53(`member:${uid}:${name}`),
            peerURL: `https://${name}.etcd-discovery.${namespace}.svc:2380`,
            clientURL: `https://${name}.etcd-client.${namespace}.svc:2379`,
            ready: isReady(store.get('pods', namespace, name))
          }
        })
      },
      hasQuorum () {
        const members = self.members()
        return members.filter(m => m.ready).length >= Math.floor(members.length / 2) + 1
      }
    }
    return self
  }

  function cluster (namespace: string): EtcdCluster | undefined {
    const hc = hostedClusterFor(store, namespace)
    if (hc === undefined) return undefined
    let c = clusters.get(namespace)
    // a HostedCluster deleted and created again under the same name gets a new, empty etcd
    if (c === undefined || c.db.clusterUid !== (hc.metadata.uid ?? namespace)) clusters.set(namespace, c = make(namespace, hc))
    return c
  }

  function onEvent (e: StoreEvent): void {
    if (e.resource === 'namespaces' && e.type === 'DELETED') {
      clusters.delete(e.object.metadata.name ?? '')
      return
    }
    if (e.resource !== HC_RESOURCE || e.type === 'DELETED') return
    const c = clusters.get(`${e.object.metadata.namespace}-${e.object.metadata.name}`)
    if (c === undefined || c.db.clusterUid !== e.object.metadata.uid || !c.hasQuorum()) return
    bump(c.db, parseSize(e.object.metadata.annotations?.[ANNOTATION_DB_SIZE]))
  }

  const unsubscribe = store.subscribe(onEvent)
  return { cluster, close: unsubscribe }
}
