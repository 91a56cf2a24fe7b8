import t from 'tap'
import type { GatewayError } from '../../../shared/errors.ts'
import { DEFAULT_BASELINE, parseSizingBaseline } from '../../../shared/capacity/baseline.ts'

t.test('defaults are the documented figures', async t => {
  t.same(DEFAULT_BASELINE, {
    cpuRequestPerHCP: 5,
    memoryRequestPerHCP: 18,
    podsPerHCP: 75,
    idleCPUUsage: 2.9,
    incrementalCPUUsagePer1KQPS: 9,
    idleMemoryUsage: 11.1,
    incrementalMemUsagePer1KQPS: 2.5,
    minimumQPSPerHCP: 50,
    mediumQPSPerHCP: 1000,
    highQPSPerHCP: 2000
  })
})

t.test('parses the hcp-sizing-baseline ConfigMap data', async t => {
  t.same(parseSizingBaseline({ cpuRequestPerHCP: '5', idleCPUUsage: '2.9', minimumQPSPerHCP: '50.0' }),
    { cpuRequestPerHCP: 5, idleCPUUsage: 2.9, minimumQPSPerHCP: 50 })
  t.same(parseSizingBaseline(undefined), {})
  const err = t.throws(() => parseSizingBaseline({ cpuRequestPerHCP: 'five', podsPerHCP: '0', cpus: '1', idleCPUUsage: '0x10' })) as GatewayError
  t.equal(err.code, 'GW_ERR_VALIDATION')
  t.same(err.errors?.map(e => e.field), ['data.cpuRequestPerHCP', 'data.podsPerHCP', 'data.cpus', 'data.idleCPUUsage'])
})
