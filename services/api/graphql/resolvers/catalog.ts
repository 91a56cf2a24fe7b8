import { GraphQLScalarType, Kind, type ValueNode } from 'graphql'
import { calculateCapacity } from '../../../../shared/capacity/calculator.ts'
import { CapacityInputSchema, type CapacityInput } from '../../../../shared/capacity/schema.ts'
import { versionsResponse } from '../../../../shared/versions/response.ts'
import { requireRole } from '../context.ts'
import { validateInput } from '../errors.ts'
import type { QueryResolvers } from '../generated.ts'

function literal (node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value)
    case Kind.NULL:
      return null
    case Kind.LIST:
      return node.values.map(v => literal(v, variables))
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map(f => [f.name.value, literal(f.value, variables)]))
    case Kind.VARIABLE:
      return variables?.[node.name.value]
  }
}

// Values pass through as they are; inputs are checked by the REST TypeBox schema of the operation.
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: value => value,
  parseValue: value => value,
  parseLiteral: literal
})

export const Query: Pick<QueryResolvers, 'versions' | 'capacity'> = {
  async versions (_root, _args, ctx) {
    requireRole(ctx, 'viewer')
    return versionsResponse(await ctx.app.hypershift.supportedVersionsData())
  },
  capacity (_root, args, ctx) {
    requireRole(ctx, 'viewer')
    return calculateCapacity(validateInput<CapacityInput>(CapacityInputSchema, args.input, 'body'))
  }
}
