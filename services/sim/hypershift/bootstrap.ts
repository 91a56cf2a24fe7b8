import { coreosBootimagesConfigMapData } from './coreos-stream.ts'
import { createIfMissing, ignoreNotFound } from './kube-client.ts'
import type { KubeClients } from './kube-client.ts'
import { supportedVersionsConfigMapData } from './supported-versions.ts'

// Objects the HyperShift Operator and the MCO keep on a management cluster, created when missing.
export const MANAGEMENT_VERSION = '4.19.5'

async function ensureConfigMap (clients: KubeClients, namespace: string, name: string, labels: Record<string, string>, data: Record<string, string>): Promise<void> {
  await createIfMissing(clients.core.createNamespace({ body: { metadata: { name: namespace } } }))
  const existing = await ignoreNotFound(clients.core.readNamespacedConfigMap({ namespace, name }))
  if (existing !== undefined) return
  await createIfMissing(clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name, namespace, labels }, data } }))
}

export async function bootstrapManagementCluster (clients: KubeClients): Promise<void> {
  await ensureConfigMap(clients, 'hypershift', 'supported-versions',
    { 'hypershift.openshift.io/supported-versions': 'true' }, supportedVersionsConfigMapData())
  await ensureConfigMap(clients, 'openshift-machine-config-operator', 'coreos-bootimages',
    { 'machineconfiguration.openshift.io/mco-managed': 'true' }, coreosBootimagesConfigMapData(MANAGEMENT_VERSION))
}
