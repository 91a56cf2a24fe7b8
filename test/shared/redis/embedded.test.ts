import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Redis } from 'ioredis'
import { ensureRedis } from '../../../shared/redis/embedded.ts'
import { checkRedisRequirements } from '../../../shared/redis/connection.ts'

const unreachable = 'redis://127.0.0.1:1'

async function dataDir (t: { teardown (fn: () => unknown): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'hcpgw-redis-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

t.test('a Redis that answers is used as it is', async t => {
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
  const ep = await ensureRedis({ url, allowEmbedded: true, dataDir: await dataDir(t), log: () => {} })
  t.same({ url: ep.url, embedded: ep.embedded }, { url, embedded: false })
  await ep.close()
})

t.test('with none answering, a private redis-server starts with AOF and noeviction', { skip: !existsSync('/usr/bin/redis-server') && 'redis-server is not installed' }, async t => {
  const dir = await dataDir(t)
  const logs: string[] = []
  const ep = await ensureRedis({ url: unreachable, allowEmbedded: true, dataDir: dir, log: m => logs.push(m) })
  t.teardown(() => ep.close())
  t.equal(ep.embedded, true)
  t.match(logs[0], /started a private redis-server/)
  const client = new Redis(ep.url)
  t.teardown(() => client.disconnect())
  t.equal(await client.config('GET', 'appendonly').then(r => JSON.stringify(r)).then(s => s.includes('yes')), true)
  const req = await checkRedisRequirements(client)
  t.same(req.problems, [])
  t.equal(req.maxmemoryPolicy, 'noeviction')
  await client.set('k', 'v')
  await ep.close()
  t.rejects(new Redis(ep.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true }).connect(), 'the private server is gone after close')
})

t.test('the caller is told how to get Redis when none can be started', async t => {
  const dir = await dataDir(t)
  await t.rejects(ensureRedis({ url: unreachable, allowEmbedded: false, dataDir: dir, log: () => {} }),
    /no Redis answers at redis:\/\/127\.0\.0\.1:1 and REDIS_EMBEDDED=never/)
  const path = process.env.PATH
  process.env.PATH = dir
  t.teardown(() => { process.env.PATH = path })
  await t.rejects(ensureRedis({ url: unreachable, allowEmbedded: true, dataDir: dir, log: () => {} }),
    /no redis-server on PATH .*install Redis \(e\.g\. apt-get install redis-server\) or set REDIS_URL/)
})

t.test('eviction policies other than noeviction are reported', async t => {
  const dir = await dataDir(t)
  const ep = await ensureRedis({ url: unreachable, allowEmbedded: true, dataDir: dir, log: () => {} })
  t.teardown(() => ep.close())
  const client = new Redis(ep.url)
  t.teardown(() => client.quit())
  await client.config('SET', 'maxmemory-policy', 'allkeys-lru')
  const req = await checkRedisRequirements(client)
  t.equal(req.ok, false)
  t.match(req.problems[0], /maxmemory-policy is allkeys-lru; BullMQ requires noeviction/)
})
