import { isIP } from 'node:net'
import { hasSpaceOrControl } from './regex.ts'

// The string formats apiextensions keeps (validation.StripUnsupportedFormatsPostProcess); any other
// format, including the numeric int32/int64/float/double, is not validated.
const uuidRe = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i
const hostnameRe = /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u
const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/
const dateTimeRe = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$/
const goDurationRe = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/
const humanDurationRe = /^(\d+)\s*(ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)$/i
const macRe = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^([0-9a-f]{2}[:-]){7}[0-9a-f]{2}$|^([0-9a-f]{2}[:-]){19}[0-9a-f]{2}$|^([0-9a-f]{4}\.){2}[0-9a-f]{4}$/i
const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function validDate (y: string, m: string, d: string): boolean {
  const month = Number(m)
  const day = Number(d)
  if (month < 1 || month > 12 || day < 1) return false
  const days = new Date(Date.UTC(Number(y), month, 0)).getUTCDate()
  return day <= days
}

function isDateTime (s: string): boolean {
  const m = dateTimeRe.exec(s)
  if (!m) return false
  return validDate(m[1], m[2], m[3]) && Number(m[4]) < 24 && Number(m[5]) < 60 && (m[7] === undefined || Number(m[7]) < 60)
}

function isCIDR (s: string): boolean {
  const slash = s.indexOf('/')
  if (slash < 0) return false
  const ip = s.slice(0, slash)
  const bits = s.slice(slash + 1)
  const family = isIP(ip)
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false
  return Number(bits) <= (family === 4 ? 32 : 128)
}

// net/url.ParseRequestURI: an absolute URI or an absolute path, no spaces or control characters.
function isRequestURI (s: string): boolean {
  if (s === '' || hasSpaceOrControl(s)) return false
  if (s.startsWith('/')) return true
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s)
}

const checks: Record<string, (s: string) => boolean> = {
  bsonobjectid: s => /^[0-9a-f]{24}$/i.test(s),
  uri: isRequestURI,
  email: s => /^[^\s@<>]+@[^\s@<>]+$/.test(s),
  hostname: s => s.length <= 255 && hostnameRe.test(s),
  ipv4: s => isIP(s) === 4,
  ipv6: s => isIP(s) === 6,
  cidr: isCIDR,
  mac: s => macRe.test(s),
  uuid: s => uuidRe.test(s),
  uuid3: s => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  uuid4: s => /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(s),
  uuid5: s => /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(s),
  hexcolor: s => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: s => /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/.test(s),
  byte: s => base64Re.test(s),
  password: () => true,
  date: s => { const m = dateRe.exec(s); return m !== null && validDate(m[1], m[2], m[3]) },
  duration: s => goDurationRe.test(s) || humanDurationRe.test(s),
  datetime: isDateTime,
  ssn: s => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  isbn: s => /^(\d[- ]?){9}[\dX]$|^(\d[- ]?){12}\d$/.test(s),
  isbn10: s => /^(\d[- ]?){9}[\dX]$/.test(s),
  isbn13: s => /^(\d[- ]?){12}\d$/.test(s),
  creditcard: s => /^\d{12,19}$/.test(s.replace(/\D/g, ''))
}

// Returns the checker for a format name (go-openapi normalizes by dropping '-'), or undefined when
// kube-apiserver ignores the format.
export function formatChecker (format: string | undefined): ((s: string) => boolean) | undefined {
  if (!format) return undefined
  return checks[format.replace(/-/g, '')]
}
