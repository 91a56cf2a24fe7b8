// Go RE2 patterns (OpenAPI `pattern`, CEL matches/find) as JS RegExps. RE2 syntax is close to JS; the
// differences handled are leading flag groups, \A \z, POSIX classes, named groups and \Q..\E quoting.
const posix: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f'
}

const cache = new Map<string, RegExp>()

function translate (pattern: string): { source: string, flags: string } {
  let flags = ''
  let source = pattern
  const lead = /^\(\?([imsU]+)\)/.exec(source)
  if (lead) {
    for (const f of lead[1]) if (f !== 'U' && !flags.includes(f)) flags += f
    source = source.slice(lead[0].length)
  }
  source = source
    .replace(/\\Q(.*?)(\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => posix[name] ? (neg ? `^${posix[name]}` : posix[name]) : m)
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
  return { source, flags }
}

// Unicode mode makes `.` and classes work on code points like RE2; patterns that are only valid
// without it (identity escapes such as \-) fall back to the legacy mode.
export function goRegExp (pattern: string): RegExp {
  const hit = cache.get(pattern)
  if (hit) return hit
  const { source, flags } = translate(pattern)
  let re: RegExp
  try {
    re = new RegExp(source, flags + 'u')
  } catch {
    re = new RegExp(source, flags)
  }
  cache.set(pattern, re)
  return re
}

// URL parsers reject whitespace and ASCII control characters anywhere in the input.
export function hasSpaceOrControl (s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (c <= 0x20 || c === 0x7f || /\s/.test(ch)) return true
  }
  return false
}
