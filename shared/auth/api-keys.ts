import { createHash, randomInt } from 'node:crypto'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { ConfigError } from '../config.ts'
import { ROLES } from './principal.ts'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
export const API_KEY_PREFIX = 'hcpgw_'
export const API_KEY_PATTERN = /^hcpgw_[0-9A-Za-z]{32}$/

export const ApiKeyRecordSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]*$' }),
  hash: Type.String({ pattern: '^sha256:[0-9a-f]{64}$', description: 'sha256 of the key, lower-case hex' }),
  role: Type.Enum([...ROLES]),
  tenant: Type.Optional(Type.Object({
    namespaces: Type.Array(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' }), { minItems: 1, uniqueItems: true })
  }, { additionalProperties: false }))
}, { additionalProperties: false })

export type ApiKeyRecord = Static<typeof ApiKeyRecordSchema>

const ApiKeysSchema = Type.Array(ApiKeyRecordSchema)

// A key is 32 base62 characters (~190 bits) drawn without modulo bias; the prefix makes leaked keys greppable.
export function generateApiKey (): string {
  let body = ''
  for (let i = 0; i < 32; i++) body += BASE62[randomInt(BASE62.length)]
  return API_KEY_PREFIX + body
}

export function hashApiKey (key: string): string {
  return 'sha256:' + createHash('sha256').update(key, 'utf8').digest('hex')
}

function fail (detail: string): never {
  throw new ConfigError(`invalid configuration: API_KEYS ${detail}`)
}

// Validates API_KEYS once at start; the message names the variable and the offending entry.
export function parseApiKeys (text: string): ApiKeyRecord[] {
  let data: unknown
  try {
    data = JSON.parse(text.trim() === '' ? '[]' : text)
  } catch (err) {
    fail(`is not valid JSON (${(err as Error).message})`)
  }
  if (!Value.Check(ApiKeysSchema, data)) {
    const issues = [...Value.Errors(ApiKeysSchema, data)].filter(e => e.keyword !== 'boolean')
    const lines = issues.map(e => {
      const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperties: string[] }).additionalProperties.join(', ')})` : ''
      return `${e.instancePath || '/'} ${e.message}${extra}`
    })
    fail(lines.join('; '))
  }
  const seen = new Set<string>()
  for (const [i, key] of data.entries()) {
    if (seen.has(key.name)) fail(`/${i}/name ${JSON.stringify(key.name)} is used by more than one key`)
    seen.add(key.name)
  }
  return data
}

export interface AuthSettings {
  API_KEYS: string
  AUTH_DEMO_KEY?: boolean
  NODE_ENV: string
}

export interface ResolvedKeys {
  keys: ApiKeyRecord[]
  // The clear-text demo key, shown once at start; only its hash is used to authenticate.
  demoKey: string | null
}

export const DEMO_KEY_NAME = 'demo-admin'

// Without any admin key a fresh install could not be administered, so outside production a
// random admin key is generated per process (per replica: it is for trying things out).
export function resolveApiKeys (settings: AuthSettings): ResolvedKeys {
  const keys = parseApiKeys(settings.API_KEYS)
  const demoEnabled = settings.AUTH_DEMO_KEY ?? settings.NODE_ENV !== 'production'
  if (!demoEnabled || keys.some(k => k.role === 'admin')) return { keys, demoKey: null }
  if (keys.some(k => k.name === DEMO_KEY_NAME)) fail(`uses the name ${DEMO_KEY_NAME}, which is reserved for the generated demo key`)
  const demoKey = generateApiKey()
  return { keys: [...keys, { name: DEMO_KEY_NAME, hash: hashApiKey(demoKey), role: 'admin' }], demoKey }
}
