import t from 'tap'
import { validateListTypes } from '../../../../../services/sim/kube/validation/list-type.ts'
import type { Schema } from '../../../../../services/sim/kube/validation/types.ts'

const schema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        services: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['service'],
          items: { type: 'object', properties: { service: { type: 'string' }, port: { type: 'integer' } } }
        },
        byName: { type: 'object', additionalProperties: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } }
      }
    }
  }
}

t.test('set and map lists report duplicates', async t => {
  const causes = validateListTypes(schema, {
    spec: {
      tags: ['a', 'b', 'a'],
      services: [{ service: 'API', port: 1 }, { service: 'API', port: 2 }, { service: 'OAuth' }],
      byName: { 'x.y': ['q', 'q'] }
    }
  })
  t.same(causes.map(c => `${c.field}: ${c.message}`), [
    'spec.tags[2]: Duplicate value: "a"',
    'spec.services[1]: Duplicate value: map[string]interface {}{"service":"API"}',
    'spec.byName[x.y][1]: Duplicate value: "q"'
  ])
  t.same(validateListTypes(schema, { spec: { tags: ['a', 'b'], services: [{ service: 'A' }, { service: 'B' }] } }), [])
})
