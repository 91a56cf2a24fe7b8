import type { LoggerOptions } from 'pino'

// Paths pino must never print: credentials in headers and the secrets our payloads carry.
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.pullSecret',
  '*.sshKey',
  '*.secret',
  '*.signingSecret',
  '*.token',
  '*.kubeconfig',
  '*.secretAccessKey'
]

export function loggerOptions (level: string, name: string): LoggerOptions {
  return {
    level,
    name,
    redact: { paths: redactPaths, censor: '[redacted]' }
  }
}
