import t from 'tap'
import { Value } from 'typebox/value'
import { calculateCapacity } from '../../../shared/capacity/calculator.ts'
import { CapacityInputSchema, CapacityResultSchema } from '../../../shared/capacity/schema.ts'

t.test('reproduces the worked example of docs §3.2.4', async t => {
  // 3 bare-metal workers, maxPods 500, medium load (1000 QPS).
  const s1 = calculateCapacity({ workerNodes: 3, vcpuPerNode: 64, memoryGiBPerNode: 128, maxPodsPerNode: 500, expectedQps: 1000, highlyAvailable: true })
  const s2 = calculateCapacity({ workerNodes: 3, vcpuPerNode: 128, memoryGiBPerNode: 256, maxPodsPerNode: 500, expectedQps: 'medium', highlyAvailable: true })

  // The documented per-worker table (one decimal). For S2 vCPU usage the table truncates to 10.7; the
  // docs' own check line gives 128 / 11.9 = 10.756, which is used here.
  const documented = {
    s1: { vcpuRequests: 12.8, vcpuUsage: 5.4, memoryRequests: 7.1, memoryUsage: 9.4, pods: 6.7 },
    s2: { vcpuRequests: 25.6, vcpuUsage: 10.756, memoryRequests: 14.2, memoryUsage: 18.8, pods: 6.7 }
  }
  for (const [name, result] of [['s1', s1], ['s2', s2]] as const) {
    for (const [key, value] of Object.entries(documented[name])) {
      const got = result.perNode[key as keyof typeof result.perNode]
      t.ok(Math.abs(got - value) < 0.06, `${name} ${key}: ${got} ≈ ${value}`)
    }
  }
  t.equal(s1.maxHostedControlPlanes, 16)
  t.equal(s1.limitingResource, 'vcpu-usage', 'S1 is limited by vCPU usage')
  t.equal(s1.bindingLimit, 'load')
  t.equal(s2.maxHostedControlPlanes, 20)
  t.equal(s2.limitingResource, 'pods', 'S2 is limited by maxPods')
  t.equal(s2.bindingLimit, 'pods')

  t.same(s1.limits, { podBased: 20, requestBased: 21.33, loadBased: 16.13 })
  t.equal(s1.assumptions.qps, 1000)
  t.equal(s1.assumptions.qpsClass, null)
  t.equal(s2.assumptions.qpsClass, 'medium')
  t.match(s1.assumptions.sources.cpuRequestPerHCP, /§3\.2\.2/)
  t.same(s1.warnings, [])
})

t.test('matches the hypershift-addon sample of docs §3.3 (12 vCPU, 49.17 GB, 750 pods)', async t => {
  const at = (expectedQps: 'low' | 'medium' | 'high') =>
    calculateCapacity({ workerNodes: 1, vcpuPerNode: 12, memoryGiBPerNode: 49.173369, maxPodsPerNode: 750, expectedQps }).maxHostedControlPlanes
  t.equal(at('low'), 2)
  t.equal(at('medium'), 1)
  t.equal(at('high'), 0)
  const low = calculateCapacity({ workerNodes: 1, vcpuPerNode: 12, memoryGiBPerNode: 49.173369, maxPodsPerNode: 750, expectedQps: 'low' })
  t.equal(low.limitingResource, 'vcpu-requests')
  t.equal(low.bindingLimit, 'requests')
  t.equal(low.assumptions.qps, 50)
})

t.test('defaults, warnings and baseline overrides', async t => {
  const small = calculateCapacity({ workerNodes: 2, vcpuPerNode: 64, memoryGiBPerNode: 512 })
  t.equal(small.assumptions.maxPodsPerNode, 250)
  t.equal(small.assumptions.qpsClass, 'medium')
  t.equal(small.assumptions.highlyAvailable, true)
  t.equal(small.maxHostedControlPlanes, 6, '250 ÷ 75 = 3.33 per node, × 2 = 6.67 → 6')
  t.equal(small.limitingResource, 'pods')
  t.match(small.warnings, [/at least 3 worker nodes/, /KubeletConfig/])
  t.match(small.assumptions.notes, [String, String, /medium load/])

  const single = calculateCapacity({ workerNodes: 3, vcpuPerNode: 64, memoryGiBPerNode: 128, highlyAvailable: false })
  t.match(single.assumptions.notes.join(' '), /lower bound/)

  const tuned = calculateCapacity({ workerNodes: 3, vcpuPerNode: 64, memoryGiBPerNode: 128, maxPodsPerNode: 1000, expectedQps: 'medium', baseline: { incrementalCPUUsagePer1KQPS: 4.5 } })
  t.equal(tuned.assumptions.baseline.incrementalCPUUsagePer1KQPS, 4.5)
  t.equal(tuned.limitingResource, 'memory-requests', '64 ÷ 7.4 = 8.6 per node and 1000 ÷ 75 = 13.3, so memory requests (7.1) bind')
  t.equal(tuned.maxHostedControlPlanes, 21)
})

t.test('schemas describe input and output', async t => {
  t.ok(Value.Check(CapacityInputSchema, { workerNodes: 3, vcpuPerNode: 64, memoryGiBPerNode: 128, expectedQps: 'high' }))
  t.notOk(Value.Check(CapacityInputSchema, { workerNodes: 0, vcpuPerNode: 64, memoryGiBPerNode: 128 }))
  t.notOk(Value.Check(CapacityInputSchema, { workerNodes: 3, vcpuPerNode: 64, memoryGiBPerNode: 128, expectedQps: 'extreme' }))
  t.notOk(Value.Check(CapacityInputSchema, { workerNodes: 3, vcpuPerNode: 64, memoryGiBPerNode: 128, baseline: { podsPerHcp: 10 } }))
  const result = calculateCapacity({ workerNodes: 3, vcpuPerNode: 64, memoryGiBPerNode: 128, baseline: { podsPerHCP: 80 } })
  t.ok(Value.Check(CapacityResultSchema, result), JSON.stringify([...Value.Errors(CapacityResultSchema, result)].slice(0, 3)))
})
