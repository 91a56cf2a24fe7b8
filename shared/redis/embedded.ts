import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createRedis } from './connection.ts'

export interface RedisEndpoint {
  url: string
  embedded: boolean
  close (): Promise<void>
}

async function answers (url: string): Promise<boolean> {
  const redis = createRedis(url, 'command', 'hcpgw-probe')
  try {
    await redis.connect()
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    redis.disconnect()
  }
}

function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

function onPath (bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, bin)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

async function stopChild (child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  const done = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)])
  if (!done) {
    child.kill('SIGKILL')
    await exited
  }
}

export interface EnsureRedisOptions {
  url: string
  allowEmbedded: boolean
  dataDir: string
  log: (msg: string) => void
}

// Uses the Redis at url when one answers; otherwise starts a private redis-server with AOF on so the
// embedded mode keeps queues and job history across restarts, like the compose deployment does.
export async function ensureRedis (opts: EnsureRedisOptions): Promise<RedisEndpoint> {
  if (await answers(opts.url)) return { url: opts.url, embedded: false, close: async () => {} }
  const where = `no Redis answers at ${opts.url}`
  if (!opts.allowEmbedded) throw new Error(`${where} and REDIS_EMBEDDED=never; start Redis or set REDIS_URL`)
  const bin = onPath('redis-server')
  if (!bin) {
    throw new Error(`${where} and there is no redis-server on PATH to start a private one; install Redis (e.g. apt-get install redis-server) or set REDIS_URL`)
  }
  const dir = resolve(opts.dataDir, 'redis')
  await mkdir(dir, { recursive: true })
  const port = await freePort()
  const child = spawn(bin, [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'
  ], { stdio: ['ignore', 'ignore', 'pipe'] })
  // Whatever way this process ends (timeout, crash), the private Redis must not outlive it.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  child.once('exit', () => process.removeListener('exit', killOnExit))
  let stderr = ''
  child.stderr?.on('data', chunk => { stderr += String(chunk) })
  const url = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`private redis-server exited with code ${child.exitCode}: ${stderr.trim()}`)
    if (await answers(url)) {
      opts.log(`${where}; started a private redis-server at ${url} (AOF in ${dir})`)
      return { url, embedded: true, close: () => stopChild(child, 5000) }
    }
    await sleep(50)
  }
  await stopChild(child, 1000)
  throw new Error(`private redis-server did not answer at ${url} within 5 s`)
}
