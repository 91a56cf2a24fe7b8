// The JSONPath subset CRD additionalPrinterColumns use: .field, [n], [*], [?(@.path=="v")] and !=.
type Step = { kind: 'field', name: string } | { kind: 'index', index: number } | { kind: 'all' } |
{ kind: 'filter', path: string[], op: '==' | '!=', value: string }

export function parseJsonPath (expr: string): Step[] {
  const steps: Step[] = []
  const re = /\.([A-Za-z0-9_\-$]+)|\[(\d+)\]|\[\*\]|\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)')\)\]/y
  let pos = 0
  const src = expr.replace(/^\{(.*)\}$/, '$1')
  while (pos < src.length) {
    re.lastIndex = pos
    const m = re.exec(src)
    if (m === null) throw new Error(`unsupported JSONPath ${expr}`)
    if (m[1] !== undefined) steps.push({ kind: 'field', name: m[1] })
    else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) })
    else if (m[3] !== undefined) steps.push({ kind: 'filter', path: m[3].slice(1).split('.'), op: m[4] as '==' | '!=', value: m[5] ?? m[6] })
    else steps.push({ kind: 'all' })
    pos = re.lastIndex
  }
  return steps
}

function at (v: unknown, path: string[]): unknown {
  let cur = v
  for (const p of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined
  return cur
}

export function evaluate (steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root]
  for (const s of steps) {
    const next: unknown[] = []
    for (const v of current) {
      if (s.kind === 'field') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>)[s.name] !== undefined) next.push((v as Record<string, unknown>)[s.name])
      } else if (Array.isArray(v)) {
        if (s.kind === 'index') { if (s.index < v.length) next.push(v[s.index]) } else if (s.kind === 'all') next.push(...v)
        else next.push(...v.filter(item => { const x = at(item, s.path); return x !== undefined && (String(x) === s.value) === (s.op === '==') }))
      }
    }
    current = next
  }
  return current
}
