import { createHash } from 'node:crypto'
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node'
import type { HostedCluster } from './types.ts'

// What the Control Plane Operator would run in the hosted control plane namespace, reduced to the
// workloads the gateway and its jobs look at (seed 002_ch7-17 §1.1: etcd StatefulSet, pods etcd-N,
// container `etcd`, label app=etcd; §5.2 lists the deployments restarted by restart-date).

export const LABEL_HCP = 'hypershift.openshift.io/hosted-control-plane'
export const LABEL_COMPONENT = 'hypershift.openshift.io/control-plane-component'
export const ANNOTATION_CLUSTER = 'hypershift.openshift.io/cluster'
export const ANNOTATION_RELEASE = 'hypershift.openshift.io/release-image'
export const ANNOTATION_RESTART = 'hypershift.openshift.io/restart-date'
export const MANAGED_BY = 'app.kubernetes.io/managed-by'
export const MANAGER = 'hypershift-sim'

export function controlPlaneNamespace (hc: Pick<HostedCluster, 'metadata'>): string {
  return `${hc.metadata.namespace ?? 'default'}-${hc.metadata.name}`
}

export function isHighlyAvailable (hc: HostedCluster): boolean {
  return (hc.spec.controllerAvailabilityPolicy ?? 'HighlyAvailable') === 'HighlyAvailable'
}

interface Component { name: string, kind: 'StatefulSet' | 'Deployment', containers: string[], haReplicas: number, ports: number[] }

export const COMPONENTS: Component[] = [
  { name: 'etcd', kind: 'StatefulSet', containers: ['etcd', 'etcd-metrics'], haReplicas: 3, ports: [2379, 2380] },
  { name: 'kube-apiserver', kind: 'Deployment', containers: ['kube-apiserver', 'audit-logs', 'konnectivity-server'], haReplicas: 3, ports: [6443] },
  { name: 'openshift-apiserver', kind: 'Deployment', containers: ['openshift-apiserver', 'konnectivity-proxy'], haReplicas: 3, ports: [8443] },
  { name: 'openshift-oauth-apiserver', kind: 'Deployment', containers: ['oauth-apiserver', 'konnectivity-proxy'], haReplicas: 3, ports: [8443] },
  { name: 'ignition-server', kind: 'Deployment', containers: ['ignition-server'], haReplicas: 3, ports: [9090] }
]

export function desiredReplicas (hc: HostedCluster, component: Component): number {
  return isHighlyAvailable(hc) ? component.haReplicas : 1
}

// Component images come out of the release payload as art-dev digests; derive one per component.
export function componentImage (releaseImage: string, component: string): string {
  const digest = createHash('sha256').update(`${releaseImage}#${component}`).digest('hex')
  return `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${digest}`
}

function podTemplate (hc: HostedCluster, component: Component, releaseImage: string) {
  const annotations: Record<string, string> = { [ANNOTATION_RELEASE]: releaseImage }
  const restart = hc.metadata.annotations?.[ANNOTATION_RESTART]
  if (restart !== undefined) annotations[ANNOTATION_RESTART] = restart
  return {
    metadata: {
      labels: { app: component.name, [LABEL_HCP]: controlPlaneNamespace(hc), [LABEL_COMPONENT]: component.name },
      annotations
    },
    spec: {
      containers: component.containers.map((c, i) => ({
        name: c,
        image: componentImage(releaseImage, c),
        ports: i === 0 ? component.ports.map((p) => ({ containerPort: p, protocol: 'TCP' })) : undefined
      })),
      priorityClassName: component.name === 'etcd' ? 'hypershift-etcd' : 'hypershift-api-critical'
    }
  }
}

function baseMeta (hc: HostedCluster, component: Component) {
  return {
    name: component.name,
    namespace: controlPlaneNamespace(hc),
    labels: { app: component.name, [LABEL_HCP]: controlPlaneNamespace(hc), [MANAGED_BY]: MANAGER },
    annotations: { [ANNOTATION_CLUSTER]: `${hc.metadata.namespace}/${hc.metadata.name}` }
  }
}

export function desiredStatefulSet (hc: HostedCluster, component: Component, releaseImage: string): V1StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: baseMeta(hc, component),
    spec: {
      replicas: desiredReplicas(hc, component),
      serviceName: 'etcd-discovery',
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: { app: component.name } },
      template: podTemplate(hc, component, releaseImage),
      volumeClaimTemplates: [{
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '8Gi' } } }
      }]
    }
  } as V1StatefulSet
}

export function desiredDeployment (hc: HostedCluster, component: Component, releaseImage: string): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: baseMeta(hc, component),
    spec: {
      replicas: desiredReplicas(hc, component),
      selector: { matchLabels: { app: component.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: podTemplate(hc, component, releaseImage)
    }
  } as V1Deployment
}
