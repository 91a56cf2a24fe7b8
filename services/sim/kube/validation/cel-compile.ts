import { Environment } from '@marcbachmann/cel-js'
import { registerKubernetesLibraries } from './cel-k8s-lib.ts'
import type { Schema, ValidationRule } from './types.ts'

type Program = ((ctx: Record<string, unknown>) => unknown) & { ast: unknown }

export interface CompiledRule {
  rule: ValidationRule
  program?: Program
  messageProgram?: Program
  usesOldSelf: boolean
  // Why the rule cannot be run by this engine (compile error or a function it lacks); undefined = evaluable.
  unsupported?: string
}

// Macros and optional helpers are parsed specially, so they are not listed in getDefinitions().
const macroNames = ['has', 'all', 'exists', 'exists_one', 'map', 'filter', 'bind', 'orValue', 'or', 'optMap', 'optFlatMap', 'hasValue', 'value', 'of', 'none']

function createEnvironment (): { env: Environment, known: Set<string> } {
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false })
    .registerVariable('self', 'dyn')
    .registerVariable('oldSelf', 'dyn')
  registerKubernetesLibraries(env)
  const known = new Set<string>(macroNames)
  for (const fn of env.getDefinitions().functions) known.add(fn.name)
  return { env, known }
}

let shared: { env: Environment, known: Set<string> } | undefined

function environment (): { env: Environment, known: Set<string> } {
  shared ??= createEnvironment()
  return shared
}

interface AstNode { op: string, args: unknown }

function isNode (v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'args' in v
}

// Collects called function names and referenced identifiers of a parsed expression.
function scan (node: unknown, calls: Set<string>, ids: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) scan(n, calls, ids)
    return
  }
  if (!isNode(node)) return
  const args = node.args
  if (node.op === 'id' && typeof args === 'string') {
    ids.add(args)
    return
  }
  if ((node.op === 'call' || node.op === 'rcall') && Array.isArray(args) && typeof args[0] === 'string') {
    calls.add(args[0])
    scan(args.slice(1), calls, ids)
    return
  }
  if (Array.isArray(args)) scan(args, calls, ids)
}

function withoutStrings (expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
}

function compileExpression (expr: string): { program?: Program, usesOldSelf: boolean, unsupported?: string } {
  const { env, known } = environment()
  let program: Program
  try {
    program = env.parse(expr) as unknown as Program
  } catch (err) {
    return { usesOldSelf: /\boldSelf\b/.test(withoutStrings(expr)), unsupported: `compile error: ${(err as Error).message.split('\n')[0]}` }
  }
  const calls = new Set<string>()
  const ids = new Set<string>()
  scan(program.ast, calls, ids)
  const missing = [...calls].filter(c => !known.has(c))
  // Macro arguments (has(oldSelf.x)) are kept outside the generic AST args, so also look at the source.
  const usesOldSelf = ids.has('oldSelf') || /\boldSelf\b/.test(withoutStrings(expr))
  if (missing.length > 0) return { usesOldSelf, unsupported: `unsupported functions: ${missing.join(', ')}` }
  return { program, usesOldSelf }
}

export function compileRule (rule: ValidationRule): CompiledRule {
  const main = compileExpression(rule.rule)
  const compiled: CompiledRule = { rule, program: main.program, usesOldSelf: main.usesOldSelf, unsupported: main.unsupported }
  if (rule.messageExpression) {
    const msg = compileExpression(rule.messageExpression)
    if (msg.program) compiled.messageProgram = msg.program
  }
  return compiled
}

const compiledBySchema = new WeakMap<Schema, CompiledRule[]>()

// Compiles every x-kubernetes-validations rule of a schema tree once; later lookups are by node.
export function compileSchemaRules (s: Schema, all: CompiledRule[] = []): CompiledRule[] {
  const rules = s['x-kubernetes-validations']
  if (rules && rules.length > 0) {
    let compiled = compiledBySchema.get(s)
    if (!compiled) {
      compiled = rules.map(compileRule)
      compiledBySchema.set(s, compiled)
    }
    all.push(...compiled)
  }
  for (const prop of Object.values(s.properties ?? {})) compileSchemaRules(prop, all)
  if (s.items) compileSchemaRules(s.items, all)
  if (typeof s.additionalProperties === 'object') compileSchemaRules(s.additionalProperties, all)
  return all
}

export function rulesOf (s: Schema): CompiledRule[] {
  return compiledBySchema.get(s) ?? []
}
