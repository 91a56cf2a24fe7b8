import envSchema from 'env-schema'
import { Type, type Static } from 'typebox'

// One schema for every role: api, worker and sim read the same variables, validated once at start.
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'production', 'test'], { default: 'development' }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Address the api role listens on' }),
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'Port the api role listens on (0 = any free port)' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  DATA_DIR: Type.String({ default: '.data', minLength: 1, description: 'Directory for the embedded Redis AOF, embedded S3 objects and the twin kubeconfig' }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 600000, description: 'Bounded wait for in-flight requests and jobs on SIGTERM/SIGINT' }),

  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://', description: 'Redis for queues, job state and caches' }),
  REDIS_EMBEDDED: Type.Enum(['auto', 'never'], { default: 'auto', description: 'auto: start a private redis-server from PATH when none answers at REDIS_URL' }),
  QUEUE_PREFIX: Type.String({ default: 'hcpgw', pattern: '^[A-Za-z0-9_.-]+$', description: 'BullMQ key prefix' }),
  WORKER_CONCURRENCY: Type.Integer({ default: 4, minimum: 1, maximum: 256 }),

  KUBECONFIG: Type.String({ default: '', description: 'Kubeconfig of the management cluster; empty = the embedded twin (sim role) or in-cluster service account' }),
  KUBE_CONTEXT: Type.String({ default: '', description: 'Context to use from KUBECONFIG (default: its current-context)' }),

  S3_ENDPOINT: Type.String({ default: '', description: 'S3 API endpoint; empty = the embedded s3rver (sim role) or AWS' }),
  S3_REGION: Type.String({ default: 'us-east-1', minLength: 1 }),
  S3_BUCKET: Type.String({ default: 'hcpgw-artifacts', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }),
  S3_ACCESS_KEY_ID: Type.String({ default: '' }),
  S3_SECRET_ACCESS_KEY: Type.String({ default: '' }),
  S3_FORCE_PATH_STYLE: Type.Boolean({ default: true }),

  SIM_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Address the twin listens on' }),
  SIM_ADVERTISE_HOST: Type.String({ default: '', description: 'Host name other processes use to reach the twin (default SIM_HOST)' }),
  SIM_KUBE_PORT: Type.Integer({ default: 0, minimum: 0, maximum: 65535, description: 'Twin Kubernetes API port (0 = any free port)' }),
  SIM_S3_PORT: Type.Integer({ default: 0, minimum: 0, maximum: 65535, description: 'Twin S3 (s3rver) port (0 = any free port)' }),
  SIM_CRD_DIR: Type.String({ default: '', description: "CRDs the twin validates against; empty = ../shared/crds beside the repo when present, 'none' = unvalidated" }),
  SIM_STEP_MS: Type.Integer({ default: 1000, minimum: 1, maximum: 60000, description: 'One step of simulated operator time' }),
  SIM_SEED_DEMO: Type.Boolean({ default: true, description: 'Seed the twin with example hosted clusters' }),

  GATEWAY_NAMESPACE: Type.String({ default: 'hcp-gateway', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: 'Namespace of the management cluster where the gateway keeps its durable records (webhook subscriptions, backup catalogue and schedules)' }),

  API_KEYS: Type.String({ default: '[]', description: 'JSON array of API keys: [{"name","hash":"sha256:<hex>","role":"viewer|operator|admin","tenant"?:{"namespaces":[...]}}]' }),
  AUTH_DEMO_KEY: Type.Optional(Type.Boolean({ description: 'Generate a one-off admin key at start when no admin key is configured (default: true unless NODE_ENV=production)' })),
  IDEMPOTENCY_TTL_SECONDS: Type.Integer({ default: 86400, minimum: 60, maximum: 2592000, description: 'How long a completed Idempotency-Key response is replayed' }),
  IDEMPOTENCY_LOCK_MS: Type.Integer({ default: 120000, minimum: 1000, maximum: 3600000, description: 'How long an in-flight Idempotency-Key blocks retries if its replica dies' }),

  JOB_HISTORY_SECONDS: Type.Integer({ default: 604800, minimum: 60, maximum: 7776000, description: 'How long finished jobs (and their natural/idempotency keys) stay queryable' }),
  JOB_LOCK_MS: Type.Integer({ default: 30000, minimum: 500, maximum: 600000, description: 'Worker lock on an active job; a worker that dies loses its jobs to another after this' }),
  JOB_STALLED_INTERVAL_MS: Type.Integer({ default: 30000, minimum: 100, maximum: 600000, description: 'How often workers look for jobs whose worker died' }),
  JOB_MAX_STALLED_COUNT: Type.Integer({ default: 1, minimum: 0, maximum: 10, description: 'Worker deaths a job survives before it fails' }),
  CLUSTER_DESTROY_GRACE_SECONDS: Type.Integer({ default: 1800, minimum: 1, maximum: 86400, description: 'Default wait for a deleted HostedCluster\'s finalizers before the destroy job gives up (or, forced, strips them)' }),

  WEBHOOK_RETRY_HOURS: Type.Number({ default: 24, exclusiveMinimum: 0, maximum: 168, description: 'How long a webhook delivery is retried (exponential backoff with jitter) before it is dead-lettered; fractions allowed' }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({ default: 20000, minimum: 10, maximum: 3600000, description: 'Delay before the first webhook retry; each later one doubles (minus up to 25 % jitter)' }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 10000, description: 'Bound on one webhook delivery attempt: DNS, connect, request and response prefix together' }),
  WEBHOOK_ALLOW_HTTP: Type.Boolean({ default: false, description: 'Accept plain http:// webhook targets (https only otherwise)' }),
  WEBHOOK_ALLOWED_HOSTS: Type.String({ default: '', description: 'Comma-separated CIDRs, IPs or host names (*.suffix allowed) webhook targets may use even though they are loopback, link-local or private' }),
  WEBHOOK_RELIST_SECONDS: Type.Integer({ default: 5, minimum: 1, maximum: 3600, description: 'How often each replica re-reads webhook subscriptions from Kubernetes (writes on the same replica apply at once)' }),
  WEBHOOK_DELIVERY_LOG_SIZE: Type.Integer({ default: 100, minimum: 1, maximum: 10000, description: 'Newest deliveries kept per webhook subscription (each also expires after JOB_HISTORY_SECONDS)' }),

  BACKUP_BUCKET: Type.String({ default: '', description: 'Bucket for etcd snapshots and their encryption keys (empty = S3_BUCKET)' }),
  BACKUP_SSE: Type.Enum(['', 'AES256', 'aws:kms'], { default: '', description: 'Server-side encryption of backup objects: empty (bucket default), AES256 or aws:kms' }),
  BACKUP_SSE_KMS_KEY_ID: Type.String({ default: '', description: 'KMS key id/ARN for BACKUP_SSE=aws:kms (empty = the account default key)' }),
  BACKUP_PART_SIZE_MB: Type.Integer({ default: 16, minimum: 5, maximum: 5120, description: 'Multipart part size of etcd snapshots (MiB); parts stream, so memory does not grow with it; 10 000 parts at most per object' }),
  BACKUP_WAIT_SECONDS: Type.Integer({ default: 600, minimum: 1, maximum: 86400, description: 'Bound on each wait of a backup/restore job (writers scaled down, etcd back, HCPEtcdBackup, Velero phase)' }),
  BACKUP_DOWNLOAD_URL_TTL_SECONDS: Type.Integer({ default: 900, minimum: 60, maximum: 3600, description: 'Lifetime of presigned backup download URLs (at most 1 h)' }),
  BACKUP_RESTORE_URL_TTL_SECONDS: Type.Integer({ default: 14400, minimum: 300, maximum: 604800, description: 'Lifetime of the presigned restoreSnapshotURL given to a new cluster; must cover the time until its etcd first starts' }),
  BACKUP_HCPETCDBACKUP_CREDENTIALS_SECRET: Type.String({ default: '', description: 'Secret (key credentials = AWS credentials file, optional key endpoint) the HCPEtcdBackup controller uploads with; empty = strategy hcpetcdbackup unavailable' }),
  OADP_NAMESPACE: Type.String({ default: 'openshift-adp', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: 'Namespace of the OADP operator, where Velero Backup/Restore CRs are created' }),
  OADP_STORAGE_LOCATION: Type.String({ default: 'default', minLength: 1, description: 'Velero BackupStorageLocation of OADP backups' }),
  OADP_BACKUP_TTL: Type.String({ default: '2h0m0s', pattern: '^([0-9]+h)?([0-9]+m)?([0-9]+s)?$', description: 'Velero Backup spec.ttl (Go duration)' }),

  GRAPHIQL: Type.Optional(Type.Boolean({ description: 'Serve the GraphiQL IDE at /graphiql (default: true unless NODE_ENV=production)' })),
  GRAPHQL_INTROSPECTION: Type.Optional(Type.Boolean({ description: 'Answer GraphQL introspection queries (default: true unless NODE_ENV=production)' })),
  GRAPHQL_MAX_DEPTH: Type.Integer({ default: 10, minimum: 2, maximum: 50, description: 'Deepest GraphQL selection accepted' }),
  GRAPHQL_MAX_COST: Type.Integer({ default: 100000, minimum: 100, maximum: 10000000, description: 'Highest GraphQL query cost accepted: each field counts once per time it is resolved, and a field with a first argument multiplies what is under it' }),
  GRAPHQL_PERSISTED_QUERIES: Type.Enum(['off', 'automatic'], { default: 'off', description: 'automatic: also accept automatic persisted queries (a sha256 hash in place of a query sent before)' })
})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

interface AjvIssue { instancePath: string, message?: string, params?: Record<string, unknown> }

function describe (issue: AjvIssue, source: Record<string, unknown>): string {
  const name = issue.instancePath.replace(/^\//, '') || String(issue.params?.additionalProperty ?? 'config')
  const got = source[name]
  const allowed = issue.params?.allowedValues as unknown[] | undefined
  const detail = allowed ? `must be one of ${allowed.join(', ')}` : issue.message
  return got === undefined ? `${name} ${detail}` : `${name} ${detail} (got ${JSON.stringify(got)})`
}

// Throws a ConfigError whose message names every wrong variable on one line.
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const data = Object.fromEntries(Object.entries(env).filter(([k]) => k in ConfigSchema.properties))
  try {
    return envSchema<Config>({ schema: structuredClone(ConfigSchema), data, env: false })
  } catch (err) {
    const issues = (err as { errors?: AjvIssue[] }).errors
    if (!issues) throw err
    const lines = new Map(issues.map(issue => [issue.instancePath, describe(issue, data)]))
    throw new ConfigError(`invalid configuration: ${[...lines.values()].join('; ')}`)
  }
}
