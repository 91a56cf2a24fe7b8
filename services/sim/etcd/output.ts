// etcdctl's output helpers: go-humanize byte sizes, tablewriter tables, zap-style JSON log lines.

// humanize.Bytes: SI units, one decimal below 10
export function humanBytes (n: number): string {
  if (n < 10) return `${n} B`
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']
  const e = Math.floor(Math.log(n) / Math.log(1000))
  const val = Math.floor(n / 1000 ** e * 10 + 0.5) / 10
  return val < 10 ? `${val.toFixed(1)} ${units[e]}` : `${val.toFixed(0)} ${units[e]}`
}

const numeric = (s: string) => /^-?\d+(\.\d+)?$/.test(s)

// olekukonko/tablewriter as etcdctl configures it: centred headers, numbers right-aligned
export function table (header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const rule = '+' + widths.map(w => '-'.repeat(w + 2)).join('+') + '+\n'
  const centre = (s: string, w: number) => {
    const gap = w - s.length
    return ' '.repeat(Math.floor(gap / 2)) + s + ' '.repeat(gap - Math.floor(gap / 2))
  }
  const head = '|' + header.map((h, i) => ` ${centre(h, widths[i])} `).join('|') + '|\n'
  const body = rows.map(r => '|' + r.map((c, i) => ` ${numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i])} `).join('|') + '|\n').join('')
  return rule + head + rule + body + rule
}

export function logLine (level: 'info' | 'warn', caller: string, msg: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, ts: new Date().toISOString(), caller, msg, ...fields }) + '\n'
}

// time.Duration.String() of the time elapsed since startedNs
export function tookMs (startedNs: bigint): string {
  const ns = Number(process.hrtime.bigint() - startedNs)
  const trim = (v: number, digits: number) => v.toFixed(digits).replace(/\.?0+$/, '')
  if (ns < 1e3) return `${ns}ns`
  if (ns < 1e6) return `${trim(ns / 1e3, 3)}µs`
  if (ns < 1e9) return `${trim(ns / 1e6, 6)}ms`
  return `${trim(ns / 1e9, 9)}s`
}
