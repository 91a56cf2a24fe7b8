import { BASELINE_SECTIONS, DEFAULT_BASELINE, type SizingBaseline } from './baseline.ts'
import type { CapacityInput, CapacityResult, QpsClass } from './schema.ts'

const DOC = 'OCP 4.19 Hosted control planes, Preparing to deploy'

// Figures are reported to two decimals; the verdict is computed from the exact values.
const round2 = (n: number) => Math.round(n * 100) / 100

function qpsFor (expected: CapacityInput['expectedQps'], baseline: SizingBaseline): { qps: number, qpsClass: QpsClass | null } {
  switch (expected ?? 'medium') {
    case 'low': return { qps: baseline.minimumQPSPerHCP, qpsClass: 'low' }
    case 'medium': return { qps: baseline.mediumQPSPerHCP, qpsClass: 'medium' }
    case 'high': return { qps: baseline.highQPSPerHCP, qpsClass: 'high' }
    default: return { qps: expected as number, qpsClass: null }
  }
}

// The hosted-control-plane sizing calculation of docs §3.2 (the same arithmetic as the hypershift-addon's
// capacity gauges): the number of HA control planes is the smallest of the pod, request and load limits.
export function calculateCapacity (input: CapacityInput): CapacityResult {
  const baseline: SizingBaseline = { ...DEFAULT_BASELINE, ...input.baseline }
  const maxPodsPerNode = input.maxPodsPerNode ?? 250
  const highlyAvailable = input.highlyAvailable ?? true
  const { qps, qpsClass } = qpsFor(input.expectedQps, baseline)
  const nodes = input.workerNodes

  const perNode = {
    vcpuRequests: input.vcpuPerNode / baseline.cpuRequestPerHCP,
    vcpuUsage: input.vcpuPerNode / (baseline.idleCPUUsage + (qps / 1000) * baseline.incrementalCPUUsagePer1KQPS),
    memoryRequests: input.memoryGiBPerNode / baseline.memoryRequestPerHCP,
    memoryUsage: input.memoryGiBPerNode / (baseline.idleMemoryUsage + (qps / 1000) * baseline.incrementalMemUsagePer1KQPS),
    pods: maxPodsPerNode / baseline.podsPerHCP
  }
  // Ordered so that, on a tie, the constraint an operator can change most easily (maxPods) is named.
  const candidates = [
    { resource: 'pods', binding: 'pods', value: perNode.pods },
    { resource: 'vcpu-requests', binding: 'requests', value: perNode.vcpuRequests },
    { resource: 'memory-requests', binding: 'requests', value: perNode.memoryRequests },
    { resource: 'vcpu-usage', binding: 'load', value: perNode.vcpuUsage },
    { resource: 'memory-usage', binding: 'load', value: perNode.memoryUsage }
  ] as const
  const limiting = candidates.reduce((min, c) => (c.value < min.value ? c : min))
  // The total is the per-worker minimum times the workers, rounded down (§3.2.4: 5.4 × 3 = 16.2 → 16).
  // A tiny epsilon keeps float noise (6.6666… × 3 = 19.999…) from losing a whole control plane.
  const maxHostedControlPlanes = Math.floor(limiting.value * nodes + 1e-9)

  const warnings: string[] = []
  if (nodes < 3) warnings.push('the management cluster needs at least 3 worker nodes to run the HyperShift Operator (§3.1)')
  if (maxPodsPerNode <= 250 && limiting.resource === 'pods') {
    warnings.push('maxPods limits density: raising it to 500 through a KubeletConfig allows more control planes per node (§3.2.1)')
  }
  const notes = [
    'figures are for highly available control planes; the load-based figures were measured on bare metal (§3.2)',
    'memory uses the same unit as the baseline (the documentation mixes GB and GiB)'
  ]
  if (!highlyAvailable) {
    notes.push('the documentation sizes only HA control planes; single-replica control planes use fewer pods and resources, so the result is a lower bound')
  }
  if (input.expectedQps === undefined) notes.push('expectedQps not given: medium load (1000 QPS, the documented worked example) assumed')

  const sources: Record<string, string> = {
    ...Object.fromEntries(Object.entries(BASELINE_SECTIONS).map(([key, section]) => [key, `${DOC} ${section}`])),
    maxPodsPerNode: `${DOC} §3.2.1 (bare-metal default 250)`,
    method: `${DOC} §3.2.4 (worked example) and §3.2.2 capacity metrics`
  }

  return {
    limits: {
      podBased: round2(perNode.pods * nodes),
      requestBased: round2(Math.min(perNode.vcpuRequests, perNode.memoryRequests) * nodes),
      loadBased: round2(Math.min(perNode.vcpuUsage, perNode.memoryUsage) * nodes)
    },
    perNode: {
      vcpuRequests: round2(perNode.vcpuRequests),
      vcpuUsage: round2(perNode.vcpuUsage),
      memoryRequests: round2(perNode.memoryRequests),
      memoryUsage: round2(perNode.memoryUsage),
      pods: round2(perNode.pods)
    },
    maxHostedControlPlanes,
    bindingLimit: limiting.binding,
    limitingResource: limiting.resource,
    warnings,
    assumptions: {
      workerNodes: nodes,
      vcpuPerNode: input.vcpuPerNode,
      memoryGiBPerNode: input.memoryGiBPerNode,
      maxPodsPerNode,
      qps,
      qpsClass,
      highlyAvailable,
      baseline: { ...baseline },
      sources,
      notes
    }
  }
}
