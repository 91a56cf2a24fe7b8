// Narrowing helpers for reading loosely typed spec/status JSON into view fields.
export const str = (v: unknown): string | null => typeof v === 'string' && v !== '' ? v : null
export const int = (v: unknown): number | null => typeof v === 'number' && Number.isInteger(v) ? v : null
export const record = (v: unknown): Record<string, string> => v !== null && typeof v === 'object' ? { ...v as Record<string, string> } : {}
