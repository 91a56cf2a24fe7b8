import { Type } from 'typebox'
import type { FastifyReply } from 'fastify'
import { etagFor } from '../../../shared/http/etag.ts'

export const NameSchema = Type.String({
  minLength: 1,
  maxLength: 63,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  description: 'A DNS-1123 label'
})

export const ListQuerySchema = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 2000, description: "Filter, e.g. platform = 'AWS' and phase != 'Ready' and labels.env = 'prod'" })),
  order: Type.Optional(Type.String({ maxLength: 200, description: 'Sort, e.g. createdAt desc, name asc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  continue: Type.Optional(Type.String({ maxLength: 2000, description: 'The continue token of the previous page' }))
}, { additionalProperties: false })

const ifMatch = Type.Optional(Type.String({ description: 'The ETag (resourceVersion) the change was made against; a stale one answers 412' }))
const idempotencyKey = Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Same key and body replays the first answer' }))

export const IfMatchHeaders = Type.Object({ 'if-match': ifMatch })
export const IfMatchIdempotencyHeaders = Type.Object({ 'if-match': ifMatch, 'idempotency-key': idempotencyKey })

export const IdempotencyHeaders = Type.Object({ 'idempotency-key': idempotencyKey })

export const DryRunQuerySchema = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Render and validate server-side (dryRun=All) without writing anything' })),
  sensitive: Type.Optional(Type.Boolean({ default: false, description: 'With dryRun: show Secret values (admin only)' }))
}, { additionalProperties: false })

// Warnings ride in RFC 9111 Warning headers, as the Kubernetes API does, so bodies keep one shape.
export function sendWarnings (reply: FastifyReply, warnings: string[]): void {
  if (warnings.length > 0) reply.header('warning', warnings.map(w => `299 hcp-gateway ${JSON.stringify(w)}`))
}

export function setEtag (reply: FastifyReply, resourceVersion: string | null | undefined): void {
  if (resourceVersion) reply.header('etag', etagFor(resourceVersion))
}
