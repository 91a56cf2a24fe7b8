import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const cli = fileURLToPath(new URL('../../services/cli.ts', import.meta.url))

function run (args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 20000 })
}

t.test('a bad config value is one clear line and a non-zero exit', async t => {
  const res = run(['start'], { PORT: 'eighty' })
  t.equal(res.status, 2)
  t.equal(res.stderr, 'hcpgw: invalid configuration: PORT must be integer (got "eighty")\n')
  t.notMatch(res.stderr, /at .*\.ts:\d+/, 'no stack trace')
})

t.test('an unknown role or command is refused the same way', async t => {
  const role = run(['start', '--roles', 'api,bogus'], {})
  t.equal(role.status, 2)
  t.match(role.stderr, /^hcpgw: unknown role\(s\) bogus; roles are api, worker, sim\n$/)
  const cmd = run(['launch'], {})
  t.equal(cmd.status, 2)
  t.match(cmd.stderr, /^hcpgw: unknown command launch/)
})

function childrenOf (pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout
  return out.split('\n').map(s => Number(s.trim())).filter(Boolean)
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function waitForLine (child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffer = ''
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${buffer}`)), timeoutMs)
    child.stdout!.on('data', chunk => {
      buffer += String(chunk)
      const m = pattern.exec(buffer)
      if (m) {
        clearTimeout(timer)
        resolve(m)
      }
    })
  })
}

t.test('start runs every role, is ready, serves /docs and stops cleanly on SIGTERM', async t => {
  const dataDir = await mkdtemp(join(tmpdir(), 'hcpgw-cli-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  // An unreachable REDIS_URL makes start-up launch its own redis-server child, which must not outlive us.
  const child = spawn(process.execPath, [cli, 'start', '--roles', 'api,worker,sim'], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', REDIS_URL: 'redis://127.0.0.1:1', SIM_STEP_MS: '20', SIM_SEED_DEMO: 'false', SHUTDOWN_TIMEOUT_MS: '3000' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  const [, url] = await waitForLine(child, /hcp-gateway started at (http:\/\/[\d.]+:\d+)/, 30000)

  const ready = await fetch(`${url}/readyz`)
  t.equal(ready.status, 200)
  const body = await ready.json() as { checks: Record<string, { ok: boolean }> }
  t.same(Object.keys(body.checks).sort(), ['cache.hostedclusters', 'cache.nodepools', 'kube', 'objectStorage', 'redis'])
  const docs = await fetch(`${url}/docs/`)
  t.equal(docs.status, 200)
  t.match(await docs.text(), /swagger-ui/i)
  const spec = await fetch(`${url}/openapi.json`)
  t.equal((await spec.json() as { openapi: string }).openapi, '3.1.0')

  const children = childrenOf(child.pid!)
  t.ok(children.length >= 1, 'the private redis-server runs as a child')
  const t0 = Date.now()
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'exit code 0')
  t.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`)
  await new Promise(resolve => setTimeout(resolve, 200))
  t.same(children.filter(alive), [], 'no child process is left')
})
