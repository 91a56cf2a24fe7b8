import { Redis, type RedisOptions } from 'ioredis'

export type RedisPurpose = 'command' | 'worker'

// Command connections (HTTP path, producers) fail fast so a request never hangs on a dead Redis;
// worker connections must wait forever (BullMQ requires maxRetriesPerRequest: null for blocking calls).
export function createRedis (url: string, purpose: RedisPurpose, name: string): Redis {
  const opts: RedisOptions = purpose === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name }
    : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 2000, connectionName: name }
  const redis = new Redis(url, { lazyConnect: true, ...opts })
  // ioredis emits 'error' on every failed reconnect; the readiness check reports it, so only swallow here.
  redis.on('error', () => {})
  return redis
}

export interface RedisRequirements {
  ok: boolean
  version?: string
  maxmemoryPolicy?: string
  problems: string[]
}

// BullMQ needs Redis >= 5 (6.2 recommended) and maxmemory-policy noeviction, or it silently loses jobs.
export async function checkRedisRequirements (redis: Redis): Promise<RedisRequirements> {
  const problems: string[] = []
  const info = await redis.info('server')
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? /valkey_version:(\S+)/.exec(info)?.[1]
  if (version && Number(version.split('.')[0]) < 5) problems.push(`Redis ${version} is older than 5.0, which BullMQ requires`)
  let maxmemoryPolicy: string | undefined
  try {
    const reply = await redis.config('GET', 'maxmemory-policy') as unknown
    maxmemoryPolicy = Array.isArray(reply) ? String(reply[1]) : String(Object.values(reply as object)[0])
    if (maxmemoryPolicy !== 'noeviction') problems.push(`maxmemory-policy is ${maxmemoryPolicy}; BullMQ requires noeviction`)
  } catch {
    // Managed Redis often forbids CONFIG; say we could not check rather than guess.
    problems.push('could not read maxmemory-policy (CONFIG GET refused); make sure it is noeviction')
  }
  return { ok: problems.length === 0, version, maxmemoryPolicy, problems }
}
