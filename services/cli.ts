#!/usr/bin/env node
import { parseArgs } from 'node:util'
import closeWithGrace from 'close-with-grace'
import pino from 'pino'
import { ConfigError, loadConfig } from '../shared/config.ts'
import { loggerOptions } from '../shared/logger.ts'
import { parseRoles } from './roles.ts'

const usage = `usage: hcpgw <command> [options]

commands:
  start [--roles api,worker,sim]   run the given roles in this process (default: all three)
  openapi [--check]                write openapi/openapi.json from the route schemas (--check: fail on drift)
  api-key --name N --role R [--namespaces a,b]
                                   print a new API key and the API_KEYS entry (hash) to configure for it

configuration comes from environment variables; see README.md.`

function fail (message: string, code = 2): never {
  process.stderr.write(`hcpgw: ${message}\n`)
  process.exit(code)
}

async function main () {
  let parsed
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        roles: { type: 'string', default: process.env.HCPGW_ROLES ?? 'api,worker,sim' },
        check: { type: 'boolean', default: false },
        name: { type: 'string' },
        role: { type: 'string' },
        namespaces: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false }
      }
    })
  } catch (err) {
    fail(`${(err as Error).message}\n${usage}`)
  }
  const [command] = parsed.positionals
  if (parsed.values.help || !command) {
    process.stdout.write(usage + '\n')
    return
  }

  if (command === 'api-key') {
    const { name, role, namespaces } = parsed.values
    if (!name || !role || !['viewer', 'operator', 'admin'].includes(role)) fail('api-key needs --name and --role viewer|operator|admin')
    const { generateApiKey, hashApiKey } = await import('../shared/auth/api-keys.ts')
    const key = generateApiKey()
    const tenant = namespaces ? { tenant: { namespaces: namespaces.split(',').map(s => s.trim()).filter(Boolean) } } : {}
    process.stdout.write(`key (give it to the caller; it is not stored): ${key}\nAPI_KEYS entry: ${JSON.stringify({ name, hash: hashApiKey(key), role, ...tenant })}\n`)
    return
  }
  if (command !== 'start' && command !== 'openapi') fail(`unknown command ${command}\n${usage}`)
  let roles
  try {
    roles = parseRoles(parsed.values.roles!)
  } catch (err) {
    fail((err as Error).message)
  }

  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }

  // The roles pull in fastify, BullMQ, the AWS SDK and client-node: load them only once the
  // arguments and config are known good, so mistakes are reported at once.
  if (command === 'openapi') {
    const { writeOpenApi } = await import('./openapi.ts')
    const drift = await writeOpenApi(config, { check: parsed.values.check })
    if (drift) fail(drift, 1)
    return
  }
  const log = pino(loggerOptions(config.LOG_LEVEL, 'hcpgw'))
  const { startRoles } = await import('./start.ts')
  let running: Awaited<ReturnType<typeof startRoles>> | undefined
  // Installed before start so a signal during start-up still stops what has started.
  closeWithGrace({
    delay: config.SHUTDOWN_TIMEOUT_MS + 2000,
    logger: { error: (msg: unknown) => log.error(msg) }
  }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'fatal error, shutting down')
    else log.info(`${signal ?? 'exit'} received, shutting down`)
    await running?.close()
    log.info('stopped')
  })
  try {
    running = await startRoles(config, roles, log)
  } catch (err) {
    log.error((err as Error).message)
    fail(`start failed: ${(err as Error).message}`, 1)
  }
  log.info({ roles }, `hcp-gateway started${running.apiUrl ? ` at ${running.apiUrl} (docs at ${running.apiUrl}/docs)` : ''}`)
}

await main()
