// A small closed-loop HTTP load generator (autocannon-like): `connections` keep-alive connections, each
// sending the next GET as soon as the previous answer is read. It runs in a worker thread so that it
// does not compete with the servers under test for the main event loop.
import { Agent, request } from 'node:http'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'

export interface LoadOptions {
  url: string
  headers?: Record<string, string>
  durationMs: number
  connections: number
  // requests before this much time has passed are not recorded (JIT, caches, connection setup)
  warmupMs?: number
}

export interface LoadResult {
  url: string
  requests: number
  errors: number
  // status codes other than 200
  non2xx: number
  bytes: number
  rps: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
}

function percentile (sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

async function generate (opts: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections })
  const target = new URL(opts.url)
  const latencies: number[] = []
  let errors = 0
  let non2xx = 0
  let bytes = 0
  const warmupEnd = performance.now() + (opts.warmupMs ?? 0)
  const end = warmupEnd + opts.durationMs

  const once = () => new Promise<void>(resolve => {
    const started = performance.now()
    const req = request(target, { agent, headers: opts.headers }, res => {
      let size = 0
      res.on('data', (chunk: Buffer) => { size += chunk.length })
      res.on('end', () => {
        if (started >= warmupEnd) {
          latencies.push(performance.now() - started)
          bytes += size
          if (res.statusCode !== 200) non2xx++
        }
        resolve()
      })
      res.on('error', () => { errors++; resolve() })
    })
    req.on('error', () => { errors++; resolve() })
    req.end()
  })

  await Promise.all(Array.from({ length: opts.connections }, async () => {
    while (performance.now() < end) await once()
  }))
  agent.destroy()
  const sorted = Float64Array.from(latencies).sort()
  return {
    url: opts.url,
    requests: sorted.length,
    errors,
    non2xx,
    bytes,
    rps: sorted.length / (opts.durationMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]
  }
}

// Runs one load test in a worker thread and resolves with its summary.
export function runLoad (opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: opts })
    worker.once('message', (result: LoadResult) => resolve(result))
    worker.once('error', reject)
    worker.once('exit', code => { if (code !== 0) reject(new Error(`load worker exited with ${code}`)) })
  })
}

if (!isMainThread && parentPort !== null && (workerData as LoadOptions | undefined)?.url !== undefined) {
  const port = parentPort
  generate(workerData as LoadOptions).then(result => port.postMessage(result), err => { throw err })
}
