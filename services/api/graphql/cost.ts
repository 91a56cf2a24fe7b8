// A cost limit on top of mercurius's depth limit: every selected field costs 1 for each time it will be
// resolved, and a field with a `first` argument multiplies the cost of what is under it. A wide query
// (many aliases) or a nested list of lists is refused before anything runs.
import {
  Kind, getNamedType, isObjectType, isInterfaceType,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType,
  type GraphQLSchema, type SelectionSetNode, type ValueNode
} from 'graphql'
import { GatewayError } from '../../../shared/errors.ts'

export interface CostLimits {
  maxCost: number
  maxPageSize: number
}

type Variables = Record<string, unknown> | undefined

function argValue (node: ValueNode | undefined, variables: Variables): unknown {
  if (node === undefined) return undefined
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value]
  if (node.kind === Kind.INT) return Number(node.value)
  return undefined
}

function pageSize (field: GraphQLField<unknown, unknown>, args: Map<string, ValueNode>, variables: Variables, limits: CostLimits): number | undefined {
  const def = field.args.find(a => a.name === 'first')
  if (!def) return undefined
  const given = argValue(args.get('first'), variables)
  const first = typeof given === 'number' ? given : typeof def.defaultValue === 'number' ? def.defaultValue : 1
  if (first > limits.maxPageSize) {
    throw new GatewayError('GW_ERR_VALIDATION', `first must be at most ${limits.maxPageSize} (got ${first} on ${field.name})`, {
      errors: [{ field: 'query.limit', message: `must be at most ${limits.maxPageSize}`, constraint: 'maximum' }]
    })
  }
  return Math.max(first, 1)
}

export function queryCost (schema: GraphQLSchema, document: DocumentNode, variables: Variables, limits: CostLimits): number {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)

  function walk (set: SelectionSetNode, type: GraphQLNamedType, multiplier: number): number {
    let cost = 0
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments.get(sel.name.value)
        const on = frag && schema.getType(frag.typeCondition.name.value)
        if (frag && on) cost += walk(frag.selectionSet, on, multiplier)
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type
        if (on) cost += walk(sel.selectionSet, on, multiplier)
      } else {
        cost += multiplier
        if (!sel.selectionSet || !(isObjectType(type) || isInterfaceType(type))) continue
        const field = type.getFields()[sel.name.value]
        if (!field) continue
        const args = new Map((sel.arguments ?? []).map(a => [a.name.value, a.value]))
        const size = pageSize(field, args, variables, limits)
        cost += walk(sel.selectionSet, getNamedType(field.type), multiplier * (size ?? 1))
      }
      if (cost > limits.maxCost) return cost
    }
    return cost
  }

  let total = 0
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue
    const root = d.operation === 'query' ? schema.getQueryType() : d.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType()
    if (root) total += walk(d.selectionSet, root, 1)
  }
  return total
}

export function assertQueryCost (schema: GraphQLSchema, document: DocumentNode, variables: Variables, limits: CostLimits): void {
  const cost = queryCost(schema, document, variables, limits)
  if (cost > limits.maxCost) {
    throw new GatewayError('GW_ERR_QUERY_TOO_COMPLEX', `query cost ${cost} exceeds the limit of ${limits.maxCost}: ask for fewer fields or smaller pages (first)`, {
      extensions: { cost, maxCost: limits.maxCost }
    })
  }
}
