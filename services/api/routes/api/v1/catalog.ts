import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CapacityInputSchema, CapacityResultSchema } from '../../../../../shared/capacity/schema.ts'
import { calculateCapacity } from '../../../../../shared/capacity/calculator.ts'
import { VersionsResponseSchema } from '../../../../../shared/versions/schema.ts'
import { versionsResponse } from '../../../../../shared/versions/response.ts'
import { problemResponse } from '../../../schemas/problem.ts'

const routes: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/versions', {
    schema: {
      tags: ['catalog'],
      summary: 'Versions the HyperShift operator supports, and the documented platform/version support matrix',
      response: { 200: VersionsResponseSchema, 502: problemResponse('The supported-versions ConfigMap is unreadable') }
    }
  }, async () => versionsResponse(await fastify.hypershift.supportedVersionsData()))

  // A calculation, not a change: viewers may use it.
  fastify.post('/capacity', {
    config: { role: 'viewer' },
    schema: {
      tags: ['catalog'],
      summary: 'How many hosted control planes fit on the management cluster\'s workers (the documented sizing method)',
      body: CapacityInputSchema,
      response: { 200: CapacityResultSchema, 400: problemResponse('Invalid input') }
    }
  }, async (request) => calculateCapacity(request.body))
}

export default routes
