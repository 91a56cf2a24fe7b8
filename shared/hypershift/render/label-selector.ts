import type { LabelSelector } from './platform-options-schema.ts'

// metav1.ParseToLabelSelector, which hcp applies to --agentLabelSelector
// (cmd/cluster/agent/create.go GenerateNodePools): equality terms become matchLabels, set terms
// matchExpressions (!= becomes NotIn); labels.Parse sorts requirements by key and values are sorted.

interface Requirement { key: string, operator: 'Equals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values: string[] }

const keyRe = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/
const valueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/

function splitTerms (text: string): string[] {
  const terms: string[] = []
  let depth = 0
  let current = ''
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      terms.push(current.trim())
      current = ''
    } else {
      current += ch
    }
  }
  terms.push(current.trim())
  return terms
}

function parseTerm (term: string): Requirement {
  let m = /^!\s*(\S+)$/.exec(term)
  if (m !== null) return { key: m[1], operator: 'DoesNotExist', values: [] }
  m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term)
  if (m !== null) {
    const values = m[3].split(',').map(v => v.trim()).filter(v => v !== '')
    return { key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values }
  }
  m = /^([^\s=!]+)\s*(==|=|!=)\s*(\S*)$/.exec(term)
  if (m !== null) return { key: m[1], operator: m[2] === '!=' ? 'NotIn' : 'Equals', values: [m[3]] }
  m = /^(\S+)$/.exec(term)
  if (m !== null) return { key: m[1], operator: 'Exists', values: [] }
  throw new Error(`cannot parse "${term}"`)
}

// Throws Error with a readable message on invalid input; rules turn that into a FieldError.
export function parseLabelSelector (text: string): LabelSelector {
  const requirements = splitTerms(text).map(term => {
    if (term === '') throw new Error('empty requirement')
    const req = parseTerm(term)
    if (!keyRe.test(req.key)) throw new Error(`invalid label key "${req.key}"`)
    for (const v of req.values) if (!valueRe.test(v)) throw new Error(`invalid label value "${v}"`)
    if ((req.operator === 'In' || req.operator === 'NotIn') && req.values.length === 0) {
      throw new Error(`"${req.key}" needs at least one value`)
    }
    return req
  })
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const selector: LabelSelector = {}
  for (const req of requirements) {
    if (req.operator === 'Equals') {
      selector.matchLabels = { ...selector.matchLabels, [req.key]: req.values[0] }
      continue
    }
    const expression: { key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values?: string[] } = { key: req.key, operator: req.operator }
    if (req.values.length > 0) expression.values = [...new Set(req.values)].sort()
    selector.matchExpressions = [...(selector.matchExpressions ?? []), expression]
  }
  return selector
}
