import type { FieldError } from '../../errors.ts'

// Go time.Duration strings, as metav1.Duration fields (nodeDrainTimeout, nodeVolumeDetachTimeout) take them.
// hcp parses the flag with pflag DurationVar and the YAML shows Duration.String(), so "30m" renders as "30m0s".
const units: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n
}

const durationRe = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/
const partRe = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g

// Nanoseconds, or null when the text is not a Go duration.
export function parseGoDuration (text: string): bigint | null {
  if (!durationRe.test(text)) return null
  const negative = text.startsWith('-')
  let total = 0n
  for (const [, number, unit] of text.matchAll(partRe)) {
    const [whole, fraction = ''] = number.split('.')
    const scale = units[unit]
    total += BigInt(whole === '' ? '0' : whole) * scale
    if (fraction !== '') {
      const digits = BigInt(fraction)
      total += (digits * scale) / (10n ** BigInt(fraction.length))
    }
  }
  return negative ? -total : total
}

function fractional (value: bigint, unit: bigint): string {
  const whole = value / unit
  const rest = value % unit
  if (rest === 0n) return String(whole)
  const digits = String(unit).length - 1
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`
}

// Go's Duration.String().
export function formatGoDuration (ns: bigint): string {
  if (ns === 0n) return '0s'
  const sign = ns < 0n ? '-' : ''
  const v = ns < 0n ? -ns : ns
  if (v < 1000n) return `${sign}${v}ns`
  if (v < 1000000n) return `${sign}${fractional(v, 1000n)}µs`
  if (v < 1000000000n) return `${sign}${fractional(v, 1000000n)}ms`
  const hours = v / units.h
  const minutes = (v % units.h) / units.m
  const seconds = fractional(v % units.m, units.s)
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`
  return `${sign}${seconds}s`
}

export function normalizeGoDuration (text: string): string | null {
  const ns = parseGoDuration(text)
  return ns === null ? null : formatGoDuration(ns)
}

export function validateDuration (text: string, field: string): FieldError[] {
  const ns = parseGoDuration(text)
  if (ns === null) return [{ field, message: `"${text}" is not a duration (e.g. 30s, 10m, 1h30m)`, constraint: 'format' }]
  if (ns < 0n) return [{ field, message: 'must not be negative', constraint: 'minimum' }]
  return []
}
