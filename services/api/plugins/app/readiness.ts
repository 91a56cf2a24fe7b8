import fp from 'fastify-plugin'

export interface CheckResult {
  ok: boolean
  latencyMs: number
  detail?: string
  warnings?: string[]
}

type Check = () => Promise<Omit<CheckResult, 'latencyMs'>>

const CHECK_TIMEOUT_MS = 2000

function createReadiness () {
  const checks = new Map<string, Check>()
  return {
    // Each dependency plugin registers its own probe, so /readyz names every dependency it depends on.
    register (name: string, check: Check) {
      checks.set(name, check)
    },
    async run (): Promise<Record<string, CheckResult>> {
      const entries = await Promise.all([...checks].map(async ([name, check]) => {
        const started = performance.now()
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<Omit<CheckResult, 'latencyMs'>>(resolve => {
          timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS)
        })
        const result = await Promise.race([
          check().catch((err: Error) => ({ ok: false, detail: err.message })),
          timeout
        ])
        clearTimeout(timer)
        return [name, { ...result, latencyMs: Math.round(performance.now() - started) }] as const
      }))
      return Object.fromEntries(entries)
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: ReturnType<typeof createReadiness>
  }
}

export default fp(async function readiness (fastify) {
  fastify.decorate('readiness', createReadiness())
}, { name: 'readiness' })
