// The `search` language of list endpoints, modelled on OCM's TSL search:
//
//   name = 'a'                          platform in ('AWS', 'Agent')       labels.env = 'prod'
//   name like 'prod-%'  (% any run, _ one char; ilike ignores case)     conditions.Available = 'True'
//   phase != 'Ready'    version like '4.19%'    createdAt >= '2025-01-01'  deletionTimestamp is not null
//   combined with and / or / not and parentheses; and binds tighter than or.
//
// Strings are single-quoted ('' is a quote inside one); bare numbers are accepted as strings. Keywords
// are case-insensitive, field names are not. This file only parses; search-compile.ts checks fields.
import { queryError } from './query-error.ts'

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'ilike' | 'not like' | 'not ilike'

export type SearchNode =
  | { kind: 'and' | 'or', left: SearchNode, right: SearchNode }
  | { kind: 'not', operand: SearchNode }
  | { kind: 'compare', field: string, pos: number, op: CompareOp, value: string }
  | { kind: 'in', field: string, pos: number, negated: boolean, values: string[] }
  | { kind: 'null', field: string, pos: number, negated: boolean }

type Token =
  | { type: 'ident' | 'string' | 'number' | 'op' | 'punct', text: string, pos: number }
  | { type: 'end', text: '', pos: number }

const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'ilike', 'in', 'is', 'null'])
const IDENT_START = /[A-Za-z_]/
const IDENT_PART = /[A-Za-z0-9_.\-/]/

function fail (pos: number, expected: string, found: Token | string): never {
  const what = typeof found === 'string' ? found : found.type === 'end' ? 'end of input' : `'${found.text}'`
  throw queryError('search', `expected ${expected} at position ${pos}, found ${what}`, 'syntax')
}

function tokenize (input: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < input.length) {
    const c = input[i]
    if (/\s/.test(c)) {
      i++
    } else if (c === '\'') {
      const start = i
      let text = ''
      i++
      for (;;) {
        if (i >= input.length) fail(start, 'a closing quote for the string', 'end of input')
        if (input[i] === '\'') {
          if (input[i + 1] === '\'') {
            text += '\''
            i += 2
            continue
          }
          i++
          break
        }
        text += input[i++]
      }
      tokens.push({ type: 'string', text, pos: start })
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(input[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(input.slice(i))!
      tokens.push({ type: 'number', text: m[0], pos: i })
      i += m[0].length
    } else if (IDENT_START.test(c)) {
      const start = i
      while (i < input.length && IDENT_PART.test(input[i])) i++
      tokens.push({ type: 'ident', text: input.slice(start, i), pos: start })
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c, pos: i++ })
    } else {
      const op = /^(!=|<>|<=|>=|=|<|>)/.exec(input.slice(i))
      if (op === null) fail(i, 'a field, value, operator or parenthesis', `'${c}'`)
      tokens.push({ type: 'op', text: op[1] === '<>' ? '!=' : op[1], pos: i })
      i += op[1].length
    }
  }
  tokens.push({ type: 'end', text: '', pos: input.length })
  return tokens
}

const isKeyword = (t: Token, word: string) => t.type === 'ident' && t.text.toLowerCase() === word

export function parseSearch (input: string): SearchNode {
  const tokens = tokenize(input)
  let at = 0
  const peek = () => tokens[at]
  const next = () => tokens[at++]
  const expectKeyword = (word: string) => {
    const t = next()
    if (!isKeyword(t, word)) fail(t.pos, `'${word}'`, t)
  }

  function value (): string {
    const t = next()
    if (t.type === 'string' || t.type === 'number') return t.text
    return fail(t.pos, 'a quoted string or a number', t)
  }

  function comparison (): SearchNode {
    const f = next()
    if (f.type !== 'ident' || KEYWORDS.has(f.text.toLowerCase())) fail(f.pos, 'a field name', f)
    const field = f.text
    const pos = f.pos
    const t = next()
    if (t.type === 'op') return { kind: 'compare', field, pos, op: t.text as CompareOp, value: value() }
    let negated = false
    let word = t
    if (isKeyword(t, 'not')) {
      negated = true
      word = next()
    }
    if (isKeyword(word, 'like') || isKeyword(word, 'ilike')) {
      const op = `${negated ? 'not ' : ''}${word.text.toLowerCase()}` as CompareOp
      return { kind: 'compare', field, pos, op, value: value() }
    }
    if (isKeyword(word, 'in')) {
      const open = next()
      if (open.text !== '(' || open.type !== 'punct') fail(open.pos, '\'(\' to start the list', open)
      const values = [value()]
      for (;;) {
        const sep = next()
        if (sep.type === 'punct' && sep.text === ')') break
        if (sep.type !== 'punct' || sep.text !== ',') fail(sep.pos, '\',\' or \')\'', sep)
        values.push(value())
      }
      return { kind: 'in', field, pos, negated, values }
    }
    if (!negated && isKeyword(word, 'is')) {
      let isNot = false
      if (isKeyword(peek(), 'not')) {
        next()
        isNot = true
      }
      expectKeyword('null')
      return { kind: 'null', field, pos, negated: isNot }
    }
    return fail(word.pos, negated ? '\'like\', \'ilike\' or \'in\' after \'not\'' : 'an operator (=, !=, <, <=, >, >=, like, ilike, in, not in, is null)', word)
  }

  function primary (): SearchNode {
    const t = peek()
    if (t.type === 'punct' && t.text === '(') {
      next()
      const inner = or()
      const close = next()
      if (close.type !== 'punct' || close.text !== ')') fail(close.pos, '\')\'', close)
      return inner
    }
    if (isKeyword(t, 'not')) {
      next()
      return { kind: 'not', operand: primary() }
    }
    return comparison()
  }

  function and (): SearchNode {
    let left = primary()
    while (isKeyword(peek(), 'and')) {
      next()
      left = { kind: 'and', left, right: primary() }
    }
    return left
  }

  function or (): SearchNode {
    let left = and()
    while (isKeyword(peek(), 'or')) {
      next()
      left = { kind: 'or', left, right: and() }
    }
    return left
  }

  if (peek().type === 'end') fail(0, 'a search expression', 'an empty string')
  const ast = or()
  const rest = peek()
  if (rest.type !== 'end') fail(rest.pos, '\'and\', \'or\' or the end of the expression', rest)
  return ast
}

// A canonical rendering: equal for searches that differ only in spacing or keyword case.
export function printSearch (node: SearchNode): string {
  const q = (s: string) => `'${s.replaceAll('\'', '\'\'')}'`
  switch (node.kind) {
    case 'and':
    case 'or': return `(${printSearch(node.left)} ${node.kind} ${printSearch(node.right)})`
    case 'not': return `not ${printSearch(node.operand)}`
    case 'compare': return `${node.field} ${node.op} ${q(node.value)}`
    case 'in': return `${node.field} ${node.negated ? 'not in' : 'in'} (${node.values.map(q).join(', ')})`
    case 'null': return `${node.field} is ${node.negated ? 'not null' : 'null'}`
  }
}
