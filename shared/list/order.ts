// The `order` parameter: `name asc, createdAt desc` over the fields a list allows ordering by.
// Direction defaults to asc; keywords are case-insensitive, field names are not.
import { queryError } from './query-error.ts'

export type SortValue = string | number
export type OrderGetter<T> = (item: T) => SortValue
export type OrderFields<T> = Readonly<Record<string, OrderGetter<T>>>

export interface OrderTerm { field: string, desc: boolean }

const TERM = /^([A-Za-z_][A-Za-z0-9_.]*)(?:\s+(asc|desc))?$/i

export function parseOrder<T> (text: string, fields: OrderFields<T>): OrderTerm[] {
  const terms: OrderTerm[] = []
  const parts = text.split(',')
  for (const [i, raw] of parts.entries()) {
    const part = raw.trim()
    const m = TERM.exec(part)
    if (m === null) {
      throw queryError('order', `term ${i + 1} ('${part}') must be '<field> [asc|desc]'`, 'syntax')
    }
    const field = m[1]
    if (!Object.hasOwn(fields, field)) {
      throw queryError('order', `cannot order by '${field}'; allowed: ${Object.keys(fields).join(', ')}`, 'enum')
    }
    if (terms.some(t => t.field === field)) throw queryError('order', `'${field}' appears twice`, 'syntax')
    terms.push({ field, desc: (m[2] ?? 'asc').toLowerCase() === 'desc' })
  }
  return terms
}

export function printOrder (terms: OrderTerm[]): string {
  return terms.map(t => `${t.field} ${t.desc ? 'desc' : 'asc'}`).join(', ')
}

// Compares sort keys position by position; desc[i] flips position i.
export function compareKeys (a: readonly SortValue[], b: readonly SortValue[], desc: readonly boolean[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    const y = b[i]
    if (x === y) continue
    const c = x < y ? -1 : 1
    return desc[i] ? -c : c
  }
  return 0
}
