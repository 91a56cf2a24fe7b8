import { Type, type Static } from 'typebox'
import { BASELINE_KEYS } from './baseline.ts'

export const QPS_CLASSES = ['low', 'medium', 'high'] as const
export type QpsClass = typeof QPS_CLASSES[number]

const positive = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description })

export const SizingBaselineOverrideSchema = Type.Object(
  Object.fromEntries(BASELINE_KEYS.map(key => [key, Type.Optional(positive(`Overrides ${key} of the hcp-sizing-baseline`))])),
  { additionalProperties: false, description: 'Overrides of the sizing baseline (keys of the hcp-sizing-baseline ConfigMap, docs §3.3)' }
)

export const CapacityInputSchema = Type.Object({
  workerNodes: Type.Integer({ minimum: 1, maximum: 10000, description: 'Management-cluster workers that host control planes' }),
  vcpuPerNode: positive('vCPUs per worker'),
  memoryGiBPerNode: positive('Memory per worker in GiB'),
  maxPodsPerNode: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 250, description: 'kubelet maxPods (bare-metal default 250; 500 through a KubeletConfig, docs §3.2.1)' })),
  expectedQps: Type.Optional(Type.Union([
    Type.Number({ minimum: 0, maximum: 1e6, description: 'Expected API requests per second per hosted control plane' }),
    Type.Enum([...QPS_CLASSES], { description: 'low ≈ 50, medium ≈ 1000, high ≈ 2000 QPS per control plane (docs §3.2.3)' })
  ], { default: 'medium' })),
  highlyAvailable: Type.Optional(Type.Boolean({ default: true, description: 'HA control planes (the only topology the docs size)' })),
  baseline: Type.Optional(SizingBaselineOverrideSchema)
}, { additionalProperties: false })

export type CapacityInput = Static<typeof CapacityInputSchema>

const limit = (description: string) => Type.Number({ minimum: 0, description })

export const BindingLimitSchema = Type.Enum(['pods', 'requests', 'load'])
export const LimitingResourceSchema = Type.Enum(['pods', 'vcpu-requests', 'memory-requests', 'vcpu-usage', 'memory-usage'])

export const CapacityResultSchema = Type.Object({
  limits: Type.Object({
    podBased: limit('Control planes the pod limit allows: workerNodes × maxPods ÷ podsPerHCP'),
    requestBased: limit('Control planes the resource requests allow: min(vCPU ÷ cpuRequestPerHCP, memory ÷ memoryRequestPerHCP)'),
    loadBased: limit('Control planes the measured usage at the expected QPS allows')
  }),
  perNode: Type.Object({
    vcpuRequests: limit('vCPU ÷ cpuRequestPerHCP'),
    vcpuUsage: limit('vCPU ÷ (idleCPUUsage + QPS ÷ 1000 × incrementalCPUUsagePer1KQPS)'),
    memoryRequests: limit('memory ÷ memoryRequestPerHCP'),
    memoryUsage: limit('memory ÷ (idleMemoryUsage + QPS ÷ 1000 × incrementalMemUsagePer1KQPS)'),
    pods: limit('maxPods ÷ podsPerHCP')
  }, { description: 'Control planes one worker can host, by each constraint (the table of docs §3.2.4)' }),
  maxHostedControlPlanes: Type.Integer({ minimum: 0 }),
  bindingLimit: BindingLimitSchema,
  limitingResource: LimitingResourceSchema,
  warnings: Type.Array(Type.String()),
  assumptions: Type.Object({
    workerNodes: Type.Integer(),
    vcpuPerNode: Type.Number(),
    memoryGiBPerNode: Type.Number(),
    maxPodsPerNode: Type.Integer(),
    qps: Type.Number({ description: 'QPS per control plane used for the load-based limit' }),
    qpsClass: Type.Union([Type.Enum([...QPS_CLASSES]), Type.Null()]),
    highlyAvailable: Type.Boolean(),
    baseline: Type.Object(Object.fromEntries(BASELINE_KEYS.map(key => [key, Type.Number()]))),
    sources: Type.Record(Type.String(), Type.String(), { description: 'Where each figure comes from in the documentation' }),
    notes: Type.Array(Type.String())
  })
}, { additionalProperties: false })

export type CapacityResult = Static<typeof CapacityResultSchema>
